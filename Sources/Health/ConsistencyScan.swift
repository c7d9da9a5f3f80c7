import Extract
import Foundation
import Load
import Transform

/// The consistency snapshot: for a reproducible sample of active customers present in every
/// named system, the latest value each system reported for each field, and where they differ.
package struct ConsistencyScan: Sendable {
    package var systems: [String]
    package var fields: [CanonicalField]
    package var sampleSize: Int
    package var seed: UInt64
    package var activeStatuses: [String]

    package init(systems: [String], fields: [CanonicalField], sampleSize: Int, seed: UInt64, activeStatuses: [String]) {
        self.systems = systems
        self.fields = fields
        self.sampleSize = sampleSize
        self.seed = seed
        self.activeStatuses = activeStatuses
    }

    /// One field of one sampled customer on which the systems disagree.
    package struct Difference: Sendable, Equatable {
        package var key: CustomerKey
        package var name: String
        package var field: CanonicalField
        /// (system, value) for every system that reported the field.
        package var values: [(system: String, value: String)]

        package static func == (a: Difference, b: Difference) -> Bool {
            a.key == b.key && a.field == b.field && a.values.elementsEqual(b.values) { $0 == $1 }
        }
    }

    package struct Result: Sendable {
        /// Active customers present in every named system.
        package var eligible: Int
        package var sampled: Int
        /// (customer, field) pairs reported by at least two systems.
        package var compared: Int
        package var differences: [Difference]

        package var rate: Double { compared == 0 ? 0 : Double(differences.count) / Double(compared) }
    }

    /// The list's header; in English the column names docs/exports.md promises.
    package static func columns(_ strings: Strings) -> [String] {
        [strings.customerKey, strings.field(.name), strings.fieldColumn, strings.differenceValues]
    }

    package func run(_ store: any MasterStore) throws -> Result {
        let active = Set(activeStatuses)
        // Per customer in every system: per system, the latest record (by updated_at).
        var eligible: [(key: CustomerKey, name: String, latest: [String: CanonicalRecord])] = []
        var current: (key: CustomerKey, name: String, active: Bool, latest: [String: CanonicalRecord])?
        func close() {
            guard let done = current, done.active, done.latest.count == systems.count else { return }
            eligible.append((done.key, done.name, done.latest))
        }
        try store.forEachMergedRecord(of: systems) { item in
            let key = item.customerKey
            if current?.key != key {
                close()
                current = (
                    key, item.customerName ?? "",
                    active.isEmpty || active.contains(item.customerStatus ?? ""), [:]
                )
            }
            let system = item.record.sourceSystem
            if let held = current!.latest[system], (held.updatedAt ?? .distantPast) >= (item.record.updatedAt ?? .distantPast) {
                return
            }
            current!.latest[system] = item.record
        }
        close()
        var generator = SplitMix64(seed: seed)
        let sample = eligible.shuffled(using: &generator).prefix(sampleSize).sorted { $0.key < $1.key }
        var compared = 0
        var differences: [Difference] = []
        for customer in sample {
            for field in fields {
                let values = systems.compactMap { system -> (system: String, value: String)? in
                    guard let value = customer.latest[system].flatMap({ Self.value(of: field, in: $0) }) else { return nil }
                    return (system, value)
                }
                guard values.count >= 2 else { continue }
                compared += 1
                if Set(values.map { $0.value }).count > 1 {
                    differences.append(Difference(key: customer.key, name: customer.name, field: field, values: values))
                }
            }
        }
        return Result(eligible: eligible.count, sampled: sample.count, compared: compared, differences: differences)
    }

    /// The value compared: text as normalized; a timestamp by its day, since systems record
    /// contact dates with and without a time.
    static func value(of field: CanonicalField, in record: CanonicalRecord) -> String? {
        switch field {
        case .phone: return record.mobile
        case .taxID: return record.taxID
        case .address: return record[.district].map { [record[.province], record[.city], $0].compactMap { $0 }.joined() }
        default:
            guard let column = MasterColumn.allCases.first(where: { $0.field == field }), let text = record[column],
                !text.isEmpty
            else { return nil }
            return [.lastContactAt, .nextFollowupAt, .createdAt].contains(field) ? String(text.prefix(10)) : text
        }
    }

    package static func row(_ difference: Difference, _ strings: Strings) -> [String] {
        [
            difference.key.hex, difference.name, strings.field(difference.field),
            difference.values.map { "\($0.system)=\($0.value)" }.joined(separator: "; "),
        ]
    }
}
