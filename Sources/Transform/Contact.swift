import Foundation

/// The fields of an interaction source (`kind: interactions`): a call or another contact.
/// `phone` (the caller) comes from the canonical fields; a landline caller links through the
/// landlines of merged customers.
public enum ContactField: String, CaseIterable, Sendable, Hashable {
    case startedAt = "started_at"
    case channel, agent
    case durationSeconds = "duration_s"
    case outcome
    /// The number that was dialled (the company's 400 line).
    case called
}

/// One contact with a customer: a call, or a form submission when the source says its rows are
/// contacts. It moves the customer's `last_contact_at` forward, never back.
public struct Contact: Sendable, Equatable {
    public var channel: String
    public var startedAt: Date?
    public var agent: String?
    public var durationSeconds: Int?
    public var outcome: String?
    public var called: String?

    public init(channel: String) {
        self.channel = channel
    }

    /// Everything the contact says, for the record's digest.
    var digestParts: [String?] {
        [channel, startedAt.map { String($0.wholeSeconds) }, agent,
         durationSeconds.map(String.init), outcome, called]
    }
}
