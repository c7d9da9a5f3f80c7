import Foundation
import Transform

/// Which value of a field survives in the master record when sources disagree (docs/design.md):
/// the latest non-empty value by the source's `updated_at`, unless the pipeline ranks sources
/// for that field. `last_contact_at` only moves forward and `created_at` keeps the earliest.
package struct Survivorship: Sendable {
    /// Per field, source systems in order of preference; systems not listed rank after them.
    package var priority: [CanonicalField: [String]]

    package init(priority: [CanonicalField: [String]] = [:]) {
        self.priority = priority
    }

    func rank(of system: String, for field: CanonicalField) -> UInt8 {
        // Most pipelines rank nothing: no lookup (the key hashes its raw string) per field.
        guard !priority.isEmpty, let order = priority[field] else { return 0 }
        return UInt8(order.firstIndex(of: system) ?? order.count)
    }

    /// How far an address is resolved: district 3, city 2, province 1, unresolved text 0.
    static func depth(_ values: [String?]) -> Int {
        if values[MasterColumn.district.rawValue] != nil { return 3 }
        if values[MasterColumn.city.rawValue] != nil { return 2 }
        return values[MasterColumn.province.rawValue] != nil ? 1 : 0
    }

    /// Whether `record`'s address is deeper than `held` and agrees with every part `held` has.
    static func refines(_ record: CanonicalRecord, _ held: [String?]) -> Bool {
        let depth = Self.depth(held)
        guard depth > 0, Self.depth(record.values) > depth else { return false }
        return [MasterColumn.province, .city, .district].prefix(depth).allSatisfy { record[$0] == held[$0.rawValue] }
    }

    /// The customer `record` makes on its own: what `merge` into an empty master gives, without
    /// the list of changes nobody reads for a new customer (a first load stages one per row).
    func initial(_ record: CanonicalRecord) -> MasterValues {
        var master = MasterValues()
        let time = record.updatedAt?.wholeSeconds ?? Provenance.unknownTime
        for (fieldIndex, field) in SurvivingField.all.enumerated() {
            let columns = MasterValues.columns[fieldIndex]
            guard columns.contains(where: { record[$0] != nil }) else { continue }
            master.provenance[fieldIndex] = Provenance(rank: rank(of: record.sourceSystem, for: field), time: time)
            for column in columns { master.values[column.rawValue] = record[column] }
        }
        return master
    }

    /// Merges `record` into `master` in place and returns the columns whose value changed.
    /// `master` holds the values and, per surviving field, the rank and time of the value it has.
    func merge(_ record: CanonicalRecord, into master: inout MasterValues) -> [ColumnChange] {
        var changes: [ColumnChange] = []
        let time = record.updatedAt?.wholeSeconds ?? Provenance.unknownTime
        for (fieldIndex, field) in SurvivingField.all.enumerated() {
            let columns = MasterValues.columns[fieldIndex]
            guard columns.contains(where: { record[$0] != nil }) else { continue }
            let incomingRank = rank(of: record.sourceSystem, for: field)
            let held = master.provenance[fieldIndex]
            let holds = columns.contains { master.values[$0.rawValue] != nil }
            let wins: Bool
            switch field {
            case .lastContactAt:
                wins =
                    !holds
                    || TimestampParser.isLater(record[.lastContactAt]!, than: master.values[MasterColumn.lastContactAt.rawValue]!)
            case .createdAt:
                wins =
                    !holds || TimestampParser.isLater(master.values[MasterColumn.createdAt.rawValue]!, than: record[.createdAt]!)
            case .address:
                // A newer address wins only when it is resolved at least as far: a web form's bare
                // city must not wipe the district a CRM record gave. An older one that refines the
                // held address (same province and city, one level deeper) fills it in.
                let deepEnough = Self.depth(record.values) >= Self.depth(master.values)
                wins =
                    !holds || incomingRank < held.rank
                    || (incomingRank == held.rank && ((time > held.time && deepEnough) || Self.refines(record, master.values)))
            default:
                wins = !holds || incomingRank < held.rank || (incomingRank == held.rank && time > held.time)
            }
            guard wins else { continue }
            master.provenance[fieldIndex] = Provenance(rank: incomingRank, time: time)
            for column in columns where master.values[column.rawValue] != record[column] {
                changes.append(ColumnChange(column: column, old: master.values[column.rawValue], new: record[column]))
                master.values[column.rawValue] = record[column]
            }
        }
        return changes
    }
}

/// The surviving values of one master customer with the provenance survivorship needs.
struct MasterValues {
    var values: [String?]
    var provenance: [Provenance]

    init() {
        values = Array(repeating: nil, count: MasterColumn.allCases.count)
        provenance = Array(repeating: Provenance(rank: .max, time: Provenance.unknownTime), count: SurvivingField.all.count)
    }

    /// The master columns of each surviving field, by its index in `SurvivingField.all`.
    static let columns: [[MasterColumn]] = SurvivingField.all.map { field in MasterColumn.allCases.filter { $0.field == field } }

    /// The provenance as stored: 9 bytes when every field that holds a value got it from the
    /// same source time and rank (a customer made from one record), 9 per field otherwise.
    var encodedProvenance: [UInt8] {
        var shared: Provenance?
        var uniform = true
        for index in SurvivingField.all.indices
        where Self.columns[index].contains(where: { values[$0.rawValue] != nil }) {
            if shared == nil { shared = provenance[index] } else if shared != provenance[index] { uniform = false; break }
        }
        if uniform, let shared { return Provenance.encode([shared]) }
        return Provenance.encode(provenance)
    }
}

/// Rank and source time of the value a master field holds, stored as 9 bytes per field.
struct Provenance: Equatable {
    var rank: UInt8
    var time: Int64

    /// Rows with no `updated_at` only fill empty fields.
    static let unknownTime = Int64.min / 2

    static func encode(_ all: [Provenance]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(all.count * 9)
        for item in all {
            bytes.append(item.rank)
            withUnsafeBytes(of: item.time.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Reads what `MasterValues.encodedProvenance` wrote: one shared entry, or one per field.
    /// (The shared entry also lands on empty fields, where survivorship never reads it.)
    static func decode(_ bytes: some Collection<UInt8>, count: Int) -> [Provenance] {
        let bytes = Array(bytes)
        if bytes.count == 9 && count > 1 { return Array(repeating: decode(bytes, count: 1)[0], count: count) }
        var result: [Provenance] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let offset = index * 9
            guard offset + 9 <= bytes.count else {
                result.append(Provenance(rank: .max, time: unknownTime))
                continue
            }
            var time: Int64 = 0
            for shift in 0..<8 { time |= Int64(bytes[offset + 1 + shift]) << (8 * shift) }
            result.append(Provenance(rank: bytes[offset], time: time))
        }
        return result
    }
}

/// One master column that changed, for the change log.
struct ColumnChange: Equatable {
    var column: MasterColumn
    var old: String?
    var new: String?
}
