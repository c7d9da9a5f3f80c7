import GRDB

extension SQLiteStore {
    package func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        try queue.read { db in try Self.presence(in: db, tests, bySystem: bySystem, byOwner: byOwner) }
    }

    /// Adds up the customer counts of `presence_groups`: a customer counts once overall, once
    /// for its owner and once for each of its systems.
    static func presence(in db: Database, _ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        let bits = tests.map(PresenceMask.bit(of:))
        let empty = PresenceCounts(filled: Array(repeating: 0, count: tests.count))
        var report = PresenceReport(overall: empty, bySystem: [:], byOwner: [:])
        let rows = try Row.fetchCursor(db, sql: "SELECT owner, systems, mask, customers FROM presence_groups")
        while let row = try rows.next() {
            let mask: Int64 = row[2]
            let customers: Int = row[3]
            var counts = PresenceCounts(customers: customers, filled: bits.map { mask & $0 != 0 ? customers : 0 })
            if bits.allSatisfy({ mask & $0 != 0 }) { counts.complete = customers }
            report.overall.add(counts)
            if byOwner { report.byOwner[row[0], default: empty].add(counts) }
            if bySystem {
                let systems: String = row[1]
                for system in systems.split(separator: ",") { report.bySystem[String(system), default: empty].add(counts) }
            }
        }
        return report
    }
}
