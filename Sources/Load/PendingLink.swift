import Transform

/// How the pending pass links a waiting record (docs/design.md, Linking): through its mobile,
/// then its tax ID, then (a contact without either, in the landline pass) a landline seen on a
/// merged customer, when exactly one customer holds the value.
enum PendingLink {
    enum Via: String { case phone, taxID = "tax_id", landline }

    /// What a new waiting record's row says until the pass: the outcome of most, so the pass
    /// rewrites only the rows it links or finds ambiguous (a first load of 200,000 customers left
    /// 79,000 rows unmatched, each a rewritten row of about 330 bytes).
    static let unmatched = "unmatched"

    /// The values a waiting record links by: all the pass needs before it merges.
    struct Values {
        var mobile: String?
        var taxID: String?
        var landline: String?
    }

    /// The customer to link to and how (`phone`, `tax_id`, `landline`), or nil and why the record
    /// waits (`unmatched`, `ambiguous_…`). `customers` gives up to two customers holding a value.
    static func choose(
        _ values: Values, landlinePass: Bool, customers: (Via, String) throws -> [[UInt8]]
    ) rethrows -> (target: [UInt8]?, outcome: String) {
        var outcome = unmatched
        let landline = landlinePass ? values.landline : nil
        for (value, via) in [(values.mobile, Via.phone), (values.taxID, .taxID), (landline, .landline)] {
            guard let value else { continue }
            let keys = try customers(via, value)
            if keys.count == 1 { return (keys[0], via.rawValue) }
            if keys.count > 1 { outcome = "ambiguous_\(via.rawValue)" }
        }
        return (nil, outcome)
    }

    /// Whether a record belongs to this pass: records with a mobile or tax ID go first, contacts
    /// with neither in the landline pass, once the first pass has brought its landlines.
    static func belongs(_ values: Values, toLandlinePass landlinePass: Bool) -> Bool {
        (values.mobile == nil && values.taxID == nil) == landlinePass
    }
}

extension PendingLink.Values {
    init(_ record: CanonicalRecord) {
        self.init(mobile: record.mobile, taxID: record.taxID, landline: record[.landline])
    }
}
