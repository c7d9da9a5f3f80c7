import GRDB

extension SQLiteStore {
    /// The last `count` batches, oldest first, with their metrics and rejects. A store made before
    /// the metrics table existed (opened read-only, so not migrated) gives batches without metrics.
    package func recentBatches(_ count: Int) throws -> [StoredBatch] {
        try queue.read { db in
            let hasMetrics = try db.tableExists("metrics")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, batch_id, pipeline, as_of, finished_at, summary FROM batches ORDER BY id DESC LIMIT ?
                    """, arguments: [count])
            let metricRows =
                hasMetrics
                ? try db.makeStatement(
                    sql: """
                        SELECT metric, system, field, value, numerator, denominator FROM metrics WHERE batch = ?
                        ORDER BY metric, system, field
                        """) : nil
            return try rows.reversed().map { row in
                let number: Int64 = row["id"]
                let metrics =
                    try metricRows.map { statement in
                        try Row.fetchAll(statement, arguments: [number]).map {
                            MetricRow(
                                metric: $0[0], system: $0[1], field: $0[2], value: $0[3], numerator: $0[4], denominator: $0[5])
                        }
                    } ?? []
                return StoredBatch(
                    batchID: row["batch_id"], pipeline: row["pipeline"], asOf: row["as_of"],
                    finishedAt: row["finished_at"], summary: row["summary"], metrics: metrics,
                    rejectsByReason: try Self.rejectCounts(in: db, batch: number))
            }
        }
    }

    /// Rejects per reason code over every batch the store holds (a monotonic counter).
    package func rejectCounts() throws -> [String: Int] {
        try queue.read { db in try Self.rejectCounts(in: db, batch: nil) }
    }

    static func rejectCounts(in db: Database, batch: Int64?) throws -> [String: Int] {
        let filter = batch == nil ? "" : "WHERE batch = ?"
        let rows = try Row.fetchAll(
            db, sql: "SELECT reason_code, COUNT(*) FROM rejects \(filter) GROUP BY reason_code",
            arguments: StatementArguments(batch.map { [$0] } ?? []))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
    }
}
