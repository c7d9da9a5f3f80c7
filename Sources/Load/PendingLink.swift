import Transform

/// How the pending pass links a waiting record (docs/design.md, Linking): through its mobile,
/// then its tax ID, then (a contact without either, in the landline pass) a landline seen on a
/// merged customer, when exactly one customer holds the value.
enum PendingLink {
    enum Via: String { case phone, taxID = "tax_id", landline }

    /// The customer to link to and how (`phone`, `tax_id`, `landline`), or nil and why the record
    /// waits (`unmatched`, `ambiguous_…`). `customers` gives up to two customers holding a value.
    static func choose(
        _ record: CanonicalRecord, landlinePass: Bool, customers: (Via, String) throws -> [[UInt8]]
    ) rethrows -> (target: [UInt8]?, outcome: String) {
        var outcome = "unmatched"
        let landline = landlinePass ? record[.landline] : nil
        for (value, via) in [(record.mobile, Via.phone), (record.taxID, .taxID), (landline, .landline)] {
            guard let value else { continue }
            let keys = try customers(via, value)
            if keys.count == 1 { return (keys[0], via.rawValue) }
            if keys.count > 1 { outcome = "ambiguous_\(via.rawValue)" }
        }
        return (nil, outcome)
    }

    /// A source record's identity in a session's set of the records this batch left pending.
    static func reference(_ system: String, _ sourceID: String) -> String { system + "\u{1F}" + sourceID }

    /// Whether `record` belongs to this pass: records with a mobile or tax ID go first, contacts
    /// with neither in the landline pass, once the first pass has brought its landlines.
    static func belongs(_ record: CanonicalRecord, toLandlinePass landlinePass: Bool) -> Bool {
        (record.mobile == nil && record.taxID == nil) == landlinePass
    }
}
