import Foundation

/// The fields of an interaction source (`kind: interactions`): a call or another contact.
/// `phone` (the caller) comes from the canonical fields; a landline caller links through the
/// landlines of merged customers.
package enum ContactField: String, CaseIterable, Sendable, Hashable {
    case startedAt = "started_at"
    case channel, agent
    case durationSeconds = "duration_s"
    case outcome
    /// The number that was dialled (the company's 400 line).
    case called
}

/// One contact with a customer: a call, or a form submission when the source says its rows are
/// contacts. It moves the customer's `last_contact_at` forward, never back.
package struct Contact: Sendable, Equatable {
    package var channel: String
    package var startedAt: Date?
    package var agent: String?
    package var durationSeconds: Int?
    package var outcome: String?
    package var called: String?

    package init(channel: String) {
        self.channel = channel
    }

    /// Everything the contact says, for the record's digest.
    var digestParts: [String?] {
        [
            channel, startedAt.map { String($0.wholeSeconds) }, agent,
            durationSeconds.map(String.init), outcome, called,
        ]
    }
}
