import Foundation

/// A source record after normalization: identifiers, surviving column values and the
/// customer key when it has one. What the loader merges.
public struct CanonicalRecord: Sendable, Equatable {
    public var sourceSystem: String
    public var sourceID: String
    /// The source's own last-update time; nil when the source gives none.
    public var updatedAt: Date?
    /// A valid mobile number in E.164: half of the customer key, or a link.
    public var mobile: String?
    /// A valid unified social credit code: the other half of the key, or a link.
    public var taxID: String?
    /// Set when both `mobile` and `taxID` are.
    public var key: CustomerKey?
    /// Values by `MasterColumn.rawValue`; nil when the source has none.
    public var values: [String?]
    /// Values present in the source but refused by a normalizer: (field, reason code).
    public var refusals: [FieldRefusal]
    /// Set when the record is a contact (a call, or a form of a source whose rows are contacts).
    public var contact: Contact?
    /// A contact and nothing else (a call): it moves `last_contact_at`, never the customer's
    /// `updated_at`, which says when the customer's own data last changed.
    public var contactOnly = false

    public init(sourceSystem: String, sourceID: String) {
        self.sourceSystem = sourceSystem
        self.sourceID = sourceID
        values = Array(repeating: nil, count: MasterColumn.allCases.count)
        refusals = []
    }

    public subscript(column: MasterColumn) -> String? {
        get { values[column.rawValue] }
        set { values[column.rawValue] = newValue }
    }

    /// A stable 64-bit digest of everything the record says (FNV-1a, not Swift's per-process
    /// seeded hasher): equal digests across runs mean an unchanged source record.
    public var digest: Int64 {
        var hash = FNV1a()
        func mix(_ text: String?) {
            if let text { hash.mix(text) }
            hash.mix(byte: 0x1F)
        }
        mix(mobile)
        mix(taxID)
        mix(updatedAt.map { String($0.wholeSeconds) })
        for value in values { mix(value) }
        for part in contact?.digestParts ?? [] { mix(part) }
        return hash.value
    }
}

/// A source value a normalizer refused, kept so that reports can say what was wrong.
public struct FieldRefusal: Sendable, Equatable {
    /// The pipeline's name for the value: a canonical field, or `updated_at`.
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}
