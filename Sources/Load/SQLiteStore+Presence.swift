import GRDB

extension SQLiteStore {
    public func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        try queue.read { db in try Self.presence(in: db, tests, bySystem: bySystem, byOwner: byOwner) }
    }

    /// One scan of `customers`: SQLite tests each customer (a bit per test), Swift adds them up
    /// per owner and per contributing system. A GROUP BY would sort every customer first, and
    /// its sorter took 60 MB more at a million customers, over the run's memory bound.
    static func presence(in db: Database, _ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        precondition(tests.count < 63, "one bit per test")
        let bits = tests.isEmpty ? "0" : tests.enumerated().map { "(\($1.sql) << \($0))" }.joined(separator: " | ")
        let all = (1 << tests.count) - 1
        // Groups by (owner, systems): a customer counts once for each of its systems.
        struct Group: Hashable {
            var owner: String
            var systems: String
        }
        var groups: [Group: Int] = [:]
        var totals: [PresenceCounts] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT COALESCE(owner, ''), systems, \(bits) FROM customers")
        while let row = try cursor.next() {
            let group = Group(owner: byOwner ? row[0] : "", systems: bySystem ? row[1] : "")
            let index = groups[group] ?? {
                groups[group] = totals.count
                totals.append(PresenceCounts(filled: Array(repeating: 0, count: tests.count)))
                return totals.count - 1
            }()
            let passed: Int = row[2]
            totals[index].customers += 1
            if passed == all { totals[index].complete += 1 }
            var rest = passed
            while rest != 0 {
                totals[index].filled[rest.trailingZeroBitCount] += 1
                rest &= rest - 1
            }
        }
        var report = PresenceReport(overall: PresenceCounts(filled: Array(repeating: 0, count: tests.count)),
                                    bySystem: [:], byOwner: [:])
        let empty = PresenceCounts(filled: Array(repeating: 0, count: tests.count))
        for (group, index) in groups {
            let counts = totals[index]
            report.overall.add(counts)
            if byOwner { report.byOwner[group.owner, default: empty].add(counts) }
            for system in group.systems.split(separator: ",") { report.bySystem[String(system), default: empty].add(counts) }
        }
        return report
    }
}
