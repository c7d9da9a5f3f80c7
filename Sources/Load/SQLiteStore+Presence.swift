import GRDB

extension SQLiteStore {
    public func presence(_ tests: [PresenceTest], bySystem: Bool) throws -> PresenceReport {
        try queue.read { db in try Self.presence(in: db, tests, bySystem: bySystem) }
    }

    /// One aggregate scan of `customers`, and one over the join with `xref` when asked per system.
    static func presence(in db: Database, _ tests: [PresenceTest], bySystem: Bool) throws -> PresenceReport {
        let all = tests.isEmpty ? "1" : tests.map(\.sql).joined(separator: " AND ")
        let sums = (["COUNT(*)", "COALESCE(SUM(\(all)), 0)"] + tests.map { "COALESCE(SUM(\($0.sql)), 0)" })
            .joined(separator: ", ")
        func counts(_ row: Row, from offset: Int) -> PresenceCounts {
            PresenceCounts(customers: row[offset], complete: row[offset + 1],
                           filled: tests.indices.map { row[offset + 2 + $0] })
        }
        let overall = try Row.fetchOne(db, sql: "SELECT \(sums) FROM customers").map { counts($0, from: 0) }
            ?? PresenceCounts(filled: tests.map { _ in 0 })
        var systems: [String: PresenceCounts] = [:]
        if bySystem {
            // A customer counts once per system however many of that system's records it merged.
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.source_system, \(sums) FROM customers
                JOIN (SELECT DISTINCT source_system, customer_key FROM xref WHERE state = 'merged') s USING (customer_key)
                GROUP BY s.source_system
                """)
            for row in rows { systems[row[0]] = counts(row, from: 1) }
        }
        return PresenceReport(overall: overall, bySystem: systems)
    }
}
