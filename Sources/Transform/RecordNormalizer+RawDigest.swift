import Extract
import Foundation

/// Change detection before normalization. A nightly export repeats most of its rows unchanged;
/// a row whose cells, mapping and normalizers are all as they were when the store last took it
/// normalizes to the same canonical record, so the reading thread can skip normalizing it.
extension RecordNormalizer {
    /// Bump whenever a normalizer's output changes for the same input (rules, gazetteer, pinyin
    /// data): stored raw digests then no longer match, and every row is normalized once again.
    public static let revision = 2

    /// Everything besides a row's cells that decides what it normalizes to: the normalizers'
    /// revision, the system, the column mapping, the options, the time zone and the key secret
    /// (through a key made with it, never the secret itself).
    public var fingerprint: Int64 {
        let fields = mapping.columns.map { "\($0.field.rawValue)=\($0.index)" }.joined(separator: ",")
        let contacts = mapping.contactColumns.map { "\($0.field.rawValue)=\($0.index)" }.joined(separator: ",")
        let probe = keyer.key(phoneE164: "+8613800000000", taxID: "fingerprint").hex
        let text = """
            revision \(Self.revision)|system \(system)|id \(mapping.idColumn)|updated_at \(mapping.updatedAtColumn ?? -1)\
            |fields \(fields)|contact \(contacts)|legacy \(options.legacyTaxIDForms)|area \(options.areaCodeResolvesAddress)\
            |interactions \(options.interactions)|channel \(options.contactChannel ?? "")\
            |zone \(timestamps.timeZone.identifier)|key \(probe)
            """
        var digest = FNV1a()
        digest.mix(counted: text)
        return digest.value
    }

    /// A stable digest of the row's cells under `fingerprint`: equal digests mean the row
    /// normalizes to the same canonical record.
    public func rawDigest(of record: SourceRecord, fingerprint: Int64) -> Int64 {
        var digest = FNV1a(seed: fingerprint)
        for value in record.values { digest.mix(counted: value) }
        return digest.value
    }

    /// The row's source id, as `normalize` reads it.
    public func sourceID(of record: SourceRecord) -> String {
        record.values[mapping.idColumn].trimmingBlanks()
    }

    /// The row's update time as `normalize` gives it: its `updated_at` cell, else, for a contact,
    /// its start.
    public func updatedAt(of record: SourceRecord) -> Date? {
        func parse(_ index: Int?) -> Date? {
            guard let index, !record.values[index].isBlank else { return nil }
            return try? timestamps.parse(record.values[index]).get()
        }
        if let updatedAt = parse(mapping.updatedAtColumn) { return updatedAt }
        guard options.interactions || options.contactChannel != nil else { return nil }
        if let started = mapping.contactColumns.first(where: { $0.field == .startedAt }) { return parse(started.index) }
        return nil
    }

    /// The row's owner as `normalize` gives it ("" for none).
    public func owner(of record: SourceRecord) -> String {
        guard let index = mapping.ownerColumn else { return "" }
        let text = record.values[index].trimmingBlanks()
        return Self.isPlaceholder(text) ? "" : text
    }
}
