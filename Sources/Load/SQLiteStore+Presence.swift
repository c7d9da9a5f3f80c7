import GRDB

extension SQLiteStore {
    public func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        try queue.read { db in try Self.presence(in: db, tests, bySystem: bySystem, byOwner: byOwner) }
    }

    /// One aggregate scan of `customers`.
    static func presence(in db: Database, _ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        let all = tests.isEmpty ? "1" : tests.map(\.sql).joined(separator: " AND ")
        let sums = (["COUNT(*)", "COALESCE(SUM(\(all)), 0)"] + tests.map { "COALESCE(SUM(\($0.sql)), 0)" })
            .joined(separator: ", ")
        func counts(_ row: Row, from offset: Int) -> PresenceCounts {
            PresenceCounts(customers: row[offset], complete: row[offset + 1],
                           filled: tests.indices.map { row[offset + 2 + $0] })
        }
        // One scan, grouped by owner and by the systems that contributed to each customer when
        // either is asked: a customer counts once for each of its systems.
        var owners: [String: PresenceCounts] = [:]
        var systems: [String: PresenceCounts] = [:]
        var overall = PresenceCounts(filled: tests.map { _ in 0 })
        let grouped = byOwner || bySystem
        let group = grouped ? "GROUP BY 1, 2" : ""
        for row in try Row.fetchAll(db, sql: "SELECT COALESCE(owner, ''), systems, \(sums) FROM customers \(group)") {
            let counts = counts(row, from: 2)
            overall.add(counts)
            if byOwner { owners[row[0], default: PresenceCounts(filled: tests.map { _ in 0 })].add(counts) }
            guard bySystem else { continue }
            for system in (row[1] as String).split(separator: ",") {
                systems[String(system), default: PresenceCounts(filled: tests.map { _ in 0 })].add(counts)
            }
        }
        return PresenceReport(overall: overall, bySystem: systems, byOwner: owners)
    }
}
