import GRDB

extension SQLiteStore {
    public func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        try queue.read { db in try Self.presence(in: db, tests, bySystem: bySystem, byOwner: byOwner) }
    }

    /// One aggregate scan of `customers`, and one over the join with `xref` when asked per system.
    static func presence(in db: Database, _ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        let all = tests.isEmpty ? "1" : tests.map(\.sql).joined(separator: " AND ")
        let sums = (["COUNT(*)", "COALESCE(SUM(\(all)), 0)"] + tests.map { "COALESCE(SUM(\($0.sql)), 0)" })
            .joined(separator: ", ")
        func counts(_ row: Row, from offset: Int) -> PresenceCounts {
            PresenceCounts(customers: row[offset], complete: row[offset + 1],
                           filled: tests.indices.map { row[offset + 2 + $0] })
        }
        // Grouped by owner when asked: the sorter doubles the scan (2 → 4 s on a million
        // customers), so the runner pays it once per batch and reports read what it stored.
        var owners: [String: PresenceCounts] = [:]
        var overall = PresenceCounts(filled: tests.map { _ in 0 })
        let group = byOwner ? "GROUP BY 1" : ""
        for row in try Row.fetchAll(db, sql: "SELECT COALESCE(owner, ''), \(sums) FROM customers \(group)") {
            let counts = counts(row, from: 1)
            if byOwner { owners[row[0]] = counts }
            overall.customers += counts.customers
            overall.complete += counts.complete
            overall.filled = zip(overall.filled, counts.filled).map(+)
        }
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
        return PresenceReport(overall: overall, bySystem: systems, byOwner: owners)
    }
}
