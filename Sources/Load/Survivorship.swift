import Foundation
import Transform

/// How one master field chooses between the value it holds and a record's (`survivorship.rule`).
/// Between values the rule finds equal, the newer by source `updated_at` wins, and a row without
/// `updated_at` never does: under `latest` and `priority` it only fills empty fields.
package enum SurvivorshipRule: String, Sendable, CaseIterable {
    /// The newer value (the default).
    case latest
    /// The value of the source ranked higher in `survivorship.priority` for the field.
    case priority
    /// The longer value, in characters (an address: its divisions and detail together).
    case longest
    /// The more complete value: an address resolved to more levels, then with the longer detail;
    /// a company's legal name (`…有限公司`) over any other name; otherwise the value with more
    /// non-blank characters.
    case mostComplete = "most_complete"
}

/// Which value of a field survives in the master record when sources disagree (docs/design.md):
/// per field, the pipeline's `survivorship.rule`, by default the latest non-empty value by the
/// source's `updated_at` (`priority` when the field has a `survivorship.priority` list).
/// `last_contact_at` only moves forward and `created_at` keeps the earliest, whatever the rule.
/// Without a rule for `company`, a legal name is never replaced by a shorter form of itself and
/// fills in one it held.
///
/// Pure: a store of any kind applies it to the values it holds (`merge`).
package struct Survivorship: Sendable {
    /// Per field, source systems in order of preference; systems not listed rank after them.
    package let priority: [CanonicalField: [String]]
    /// Per field, the rule chosen by the pipeline.
    package let rules: [CanonicalField: SurvivorshipRule]
    /// The rule of each surviving field, by its index in `SurvivingField.all`: looked up per
    /// record and field, so not through the dictionaries (a String-backed key hashes its raw value).
    private let fieldRules: [SurvivorshipRule]
    private let guardsLegalNames: Bool

    package init(priority: [CanonicalField: [String]] = [:], rules: [CanonicalField: SurvivorshipRule] = [:]) {
        self.priority = priority
        self.rules = rules
        fieldRules = SurvivingField.all.map { rules[$0] ?? (priority[$0] != nil ? .priority : .latest) }
        guardsLegalNames = rules[.company] == nil
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
        // Every master column belongs to a surviving field, and an empty master takes each field
        // the record has whole: the values are the record's, and only the provenance is made.
        var master = MasterValues(values: record.values)
        let time = record.updatedAt?.wholeSeconds ?? Provenance.unknownTime
        let present = MasterValues.present(record.values)
        for fieldIndex in SurvivingField.all.indices where present & MasterValues.columnBits[fieldIndex] != 0 {
            let rank =
                fieldRules[fieldIndex] == .priority ? rank(of: record.sourceSystem, for: SurvivingField.all[fieldIndex]) : 0
            master.provenance[fieldIndex] = Provenance(rank: rank, time: time)
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
            let rule = fieldRules[fieldIndex]
            let incomingRank = rule == .priority ? rank(of: record.sourceSystem, for: field) : 0
            let held = master.provenance[fieldIndex]
            let holds = columns.contains { master.values[$0.rawValue] != nil }
            let wins: Bool
            switch (field, rule) {
            case (.lastContactAt, _):
                wins =
                    !holds
                    || TimestampParser.isLater(record[.lastContactAt]!, than: master.values[MasterColumn.lastContactAt.rawValue]!)
            case (.createdAt, _):
                wins =
                    !holds || TimestampParser.isLater(master.values[MasterColumn.createdAt.rawValue]!, than: record[.createdAt]!)
            case (_, .longest), (_, .mostComplete):
                let order = Self.compare(Self.measure(field, rule, record.values), Self.measure(field, rule, master.values))
                wins = !holds || order == .more || (order == .same && time > held.time)
            case (.company, _) where guardsLegalNames && holds:
                let incoming = record[.company]!
                let current = master.values[MasterColumn.company.rawValue]!
                if CompanyName.abbreviates(incoming, current) {
                    // 合力医疗 after 青岛合力医疗器械有限公司: the same company, named less fully.
                    wins = false
                } else {
                    wins =
                        incomingRank < held.rank
                        || (incomingRank == held.rank && (time > held.time || CompanyName.abbreviates(current, incoming)))
                }
            case (.address, _):
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

    private enum Order { case less, same, more }

    private static func compare(_ lhs: (Int, Int), _ rhs: (Int, Int)) -> Order {
        lhs == rhs ? .same : lhs < rhs ? .less : .more
    }

    /// What `longest` and `most_complete` compare, most significant first: the characters of the
    /// value (the name without its pinyin, the address's divisions and detail together), or for
    /// `most_complete` the levels of an address or whether a company's name is a legal one, then
    /// its non-blank characters.
    private static func measure(_ field: CanonicalField, _ rule: SurvivorshipRule, _ values: [String?]) -> (Int, Int) {
        func text(_ column: MasterColumn) -> String { values[column.rawValue] ?? "" }
        func filled(_ text: String) -> Int { text.unicodeScalars.count { !$0.properties.isWhitespace } }
        let whole: String =
            switch field {
            case .address: text(.province) + text(.city) + text(.district) + text(.addressDetail)
            case .name: text(.name)
            default: MasterValues.columns[SurvivingField.index(of: field)].map { text($0) }.joined()
            }
        guard rule == .mostComplete else { return (0, whole.count) }
        switch field {
        case .address: return (depth(values), filled(text(.addressDetail)))
        case .company: return (CompanyName.isLegalName(whole) ? 1 : 0, filled(whole))
        default: return (0, filled(whole))
        }
    }
}

/// The surviving values of one master customer with the provenance survivorship needs.
struct MasterValues {
    var values: [String?]
    var provenance: [Provenance]

    /// An empty master.
    init() { self.init(values: Array(repeating: nil, count: MasterColumn.allCases.count)) }

    /// `values`, one per `MasterColumn`, with no provenance yet.
    init(values: [String?]) {
        self.values = values
        provenance = Array(repeating: Provenance(rank: .max, time: Provenance.unknownTime), count: SurvivingField.all.count)
    }

    /// The master columns of each surviving field, by its index in `SurvivingField.all`.
    static let columns: [[MasterColumn]] = SurvivingField.all.map { field in MasterColumn.allCases.filter { $0.field == field } }

    /// `columns` as bits by `MasterColumn.rawValue`, against `present`: a test per field without
    /// the retains and releases of reading an array of arrays and the values it names.
    static let columnBits: [UInt64] = {
        precondition(MasterColumn.allCases.count <= UInt64.bitWidth, "more master columns than bits in a UInt64")
        return columns.map { $0.reduce(0) { $0 | 1 << $1.rawValue } }
    }()

    /// A bit by `MasterColumn.rawValue` for each column that holds a value.
    static func present(_ values: [String?]) -> UInt64 {
        var bits: UInt64 = 0
        for index in values.indices where values[index] != nil { bits |= 1 << index }
        return bits
    }

    /// The provenance as stored: 9 bytes when every field that holds a value got it from the
    /// same source time and rank (a customer made from one record), 9 per field otherwise.
    var encodedProvenance: [UInt8] {
        var shared: Provenance?
        var uniform = true
        let present = Self.present(values)
        for index in SurvivingField.all.indices where present & Self.columnBits[index] != 0 {
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
