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

extension CanonicalRecord {
    private static let separator: Character = "\u{1F}"

    /// A compact text form for the store (pending records are retried from it). Not JSON:
    /// this is written once per source row, and JSONEncoder would dominate the load time.
    public var encoded: String { String(decoding: encodedUTF8, as: UTF8.self) }

    /// `encoded` as the UTF-8 bytes the store binds (no String made, nor validated again).
    public var encodedUTF8: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        // The separator must not occur inside a value: a stray U+001F becomes a space.
        func append(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                let start = out.count
                out.append(contentsOf: bytes)
                guard let base = bytes.baseAddress, memchr(base, 0x1F, bytes.count) != nil else { return }
                for index in start..<out.count where out[index] == 0x1F { out[index] = 0x20 }
            }
        }
        func field(_ text: String?) {
            if let text { append(text) }
            out.append(0x1F)
        }
        field(mobile)
        field(taxID)
        field(updatedAt.map { String($0.timeIntervalSince1970) })
        field(contactOnly ? "c" : nil)
        field(refusals.map { "\($0.field)=\($0.reason)" }.joined(separator: ","))
        for value in values {
            if let value {
                out.append(UInt8(ascii: "="))
                append(value)
            }
            out.append(0x1F)
        }
        out.removeLast()
        return out
    }

    /// Reads `encoded` back. The key is not part of it: only records without one are retried.
    public init?(encoded: String, sourceSystem: String, sourceID: String) {
        let parts = encoded.split(separator: Self.separator, omittingEmptySubsequences: false)
        guard parts.count == 5 + MasterColumn.allCases.count else { return nil }
        self.init(sourceSystem: sourceSystem, sourceID: sourceID)
        mobile = parts[0].isEmpty ? nil : String(parts[0])
        taxID = parts[1].isEmpty ? nil : String(parts[1])
        updatedAt = Double(parts[2]).map { Date(timeIntervalSince1970: $0) }
        contactOnly = parts[3] == "c"
        refusals = parts[4].split(separator: ",").compactMap { item in
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            return FieldRefusal(field: String(pair[0]), reason: String(pair[1]))
        }
        for (index, part) in parts.dropFirst(5).enumerated() {
            values[index] = part.first == "=" ? String(part.dropFirst()) : nil
        }
    }
}
