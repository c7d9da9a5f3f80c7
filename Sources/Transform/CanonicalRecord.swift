import Foundation

/// A source record after normalization: identifiers, surviving column values and the
/// customer key when it has one. What the loader merges.
package struct CanonicalRecord: Sendable, Equatable {
    package var sourceSystem: String
    package var sourceID: String
    /// The source's own last-update time; nil when the source gives none.
    package var updatedAt: Date?
    /// A valid mobile number in E.164: half of the customer key, or a link.
    package var mobile: String?
    /// A valid unified social credit code: the other half of the key, or a link.
    package var taxID: String?
    /// Set when both `mobile` and `taxID` are.
    package var key: CustomerKey?
    /// Values by `MasterColumn.rawValue`; nil when the source has none.
    package var values: [String?]
    /// Values present in the source but refused by a normalizer: (field, reason code).
    package var refusals: [FieldRefusal]
    /// Set when the record is a contact (a call, or a form of a source whose rows are contacts).
    package var contact: Contact?
    /// A contact and nothing else (a call): it moves `last_contact_at`, never the customer's
    /// `updated_at`, which says when the customer's own data last changed.
    package var contactOnly = false

    package init(sourceSystem: String, sourceID: String) {
        self.sourceSystem = sourceSystem
        self.sourceID = sourceID
        values = Array(repeating: nil, count: MasterColumn.allCases.count)
        refusals = []
    }

    package subscript(column: MasterColumn) -> String? {
        get { values[column.rawValue] }
        set { values[column.rawValue] = newValue }
    }

    /// A stable 64-bit digest of everything the record says (FNV-1a, not Swift's per-process
    /// seeded hasher): equal digests across runs mean an unchanged source record.
    package var digest: Int64 {
        var hash = FNV1a()
        func mix(_ text: String?) {
            if let text { hash.mix(text) }
            hash.mix(byte: 0x1F)
        }
        mix(mobile)
        mix(taxID)
        mix(updatedAt.map { String($0.wholeSeconds) })
        for index in values.indices { mix(values[index]) }
        for part in contact?.digestParts ?? [] { mix(part) }
        return hash.value
    }
}

/// A source value a normalizer refused, kept so that reports can say what was wrong.
package struct FieldRefusal: Sendable, Equatable {
    /// The pipeline's name for the value: a canonical field, or `updated_at`.
    package var field: String
    package var reason: String

    package init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}
