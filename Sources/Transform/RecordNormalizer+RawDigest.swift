import Extract
import Foundation

/// Change detection before normalization. A nightly export repeats most of its rows unchanged;
/// a row whose cells, mapping and normalizers are all as they were when the store last took it
/// normalizes to the same canonical record, so the reading thread can skip normalizing it.
extension RecordNormalizer {
    /// Bump whenever a normalizer's output changes for the same input (rules, gazetteer, pinyin
    /// data): stored raw digests then no longer match, and every row is normalized once again.
    /// 2: the timestamp parser reads compact (`20261121 14:33`) and day- or month-first dates.
    /// 3: zone offsets in whole minutes (dates before 1901); a title typed twice is no name.
    /// 4: addresses after prose (寄到：…) and with retired district names (白下区 → 秦淮区).
    /// 5: company names in one form (brackets, blanks, full-width letters).
    package static let revision = 5

    /// Everything besides a row's cells that decides what it normalizes to: the normalizers'
    /// revision, the system, the column mapping, the options, the time zone and the key secret
    /// (through a key made with it, never the secret itself).
    package var fingerprint: Int64 {
        let fields = mapping.columns.map { "\($0.field.rawValue)=\($0.index)" }.joined(separator: ",")
        let contacts = mapping.contactColumns.map { "\($0.field.rawValue)=\($0.index)" }.joined(separator: ",")
        let probe = keyer.key(phoneE164: "+8613800000000", taxID: "fingerprint").hex
        let text = """
            revision \(Self.revision)|system \(system)|id \(mapping.idColumn)|updated_at \(mapping.updatedAtColumn ?? -1)\
            |fields \(fields)|contact \(contacts)|legacy \(options.legacyTaxIDForms)|area \(options.areaCodeResolvesAddress)\
            |interactions \(options.interactions)|channel \(options.contactChannel ?? "")\
            |zone \(timestamps.timeZone.identifier)|dates \(timestamps.dateOrder?.rawValue ?? "")|key \(probe)
            """
        var digest = FNV1a()
        digest.mix(counted: text)
        return digest.value
    }

    /// A stable digest of the row's cells under `fingerprint`: equal digests mean the row
    /// normalizes to the same canonical record.
    package func rawDigest(of record: SourceRecord, fingerprint: Int64) -> Int64 {
        var digest = FNV1a(seed: fingerprint)
        for index in record.values.indices { digest.mix(counted: record.values[index]) }
        return digest.value
    }

    /// The row's source id, as `normalize` reads it.
    package func sourceID(of record: SourceRecord) -> String {
        record.values[mapping.idColumn].trimmingBlanks()
    }

    /// The row's update time as `normalize` gives it: its `updated_at` cell, else, for a contact,
    /// its start.
    package func updatedAt(of record: SourceRecord) -> Date? {
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
    package func owner(of record: SourceRecord) -> String { owner(in: record.values) }

    /// The owner in a row's cells as `normalize` gives it ("" for none or a placeholder such as
    /// 无): also for the cells that could be read of a damaged row, so that its reject counts
    /// against the same owner.
    package func owner(in values: [String]) -> String {
        guard let index = mapping.ownerColumn, values.indices.contains(index) else { return "" }
        let text = values[index].trimmingBlanks()
        return Self.isPlaceholder(text) ? "" : text
    }
}
