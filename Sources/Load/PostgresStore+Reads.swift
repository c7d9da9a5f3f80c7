import Foundation
import Transform

/// What exports, health, history and scans read. The queries are SQLite's, with the orderings
/// spelled so that both stores list rows alike: keys as bytes, texts `COLLATE "C"`.
extension PostgresStore {
    package func export(_ table: ExportTable, _ row: ([String]) throws -> Void) throws {
        let (columns, sql) = Self.exportQuery(table)
        try row(columns)
        try reading {
            var values = [String](repeating: "", count: columns.count)
            try connection.stream(sql) { result in
                for index in columns.indices { values[index] = result[0, index] ?? "" }
                try row(values)
            }
        }
    }

    private static func exportQuery(_ table: ExportTable) -> ([String], String) {
        switch table {
        case .master:
            let columns = table.contractColumns + ["industry", "landline_e164", "created_at", "notes"]
            let selected = columns.map { $0 == "customer_key" ? "encode(customer_key, 'hex')" : $0 }
            return (columns, "SELECT \(selected.joined(separator: ", ")) FROM customers ORDER BY customer_key")
        case .xref:
            return (
                table.contractColumns + ["link", "updated_at"],
                """
                SELECT x.source_system, x.source_id, encode(x.customer_key, 'hex'), x.state, b.batch_id, x.link, x.updated_at
                FROM xref x JOIN batches b ON b.id = x.batch ORDER BY x.source_system, x.source_id
                """
            )
        case .rejects:
            return (
                table.contractColumns + ["source_id", "owner"],
                """
                SELECT b.batch_id, r.source_system, r.source_file, r.locator, r.reason_code, r.reason, r.source_id, r.owner
                FROM rejects r JOIN batches b ON b.id = r.batch ORDER BY r.id
                """
            )
        case .interactions:
            return (
                table.contractColumns,
                """
                SELECT i.source_system, i.source_id, encode(x.customer_key, 'hex'), x.state, i.channel, i.started_at,
                    i.phone_e164, i.agent, i.duration_s, i.outcome, i.called, b.batch_id
                FROM interactions i JOIN xref x USING (source_system, source_id) JOIN batches b ON b.id = i.batch
                ORDER BY i.source_system, i.source_id
                """
            )
        }
    }

    package func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws {
        try reading { try Self.forEachCustomer(connection, body) }
    }

    /// Streams every customer, in key order.
    static func forEachCustomer(_ connection: PostgresConnection, _ body: (CustomerRow) throws -> Void) throws {
        let columns = MasterColumn.allCases.map(\.name).joined(separator: ", ")
        var values = [String?](repeating: nil, count: MasterColumn.allCases.count)
        try connection.stream("SELECT customer_key, phone_e164, tax_id, \(columns) FROM customers ORDER BY customer_key") {
            row in
            for index in values.indices { values[index] = row[0, index + 3] }
            guard let key = row.bytes(0, 0).flatMap({ CustomerKey(bytes: $0) }) else {
                throw StoreError(.failed, "the store holds a customer key that is not 32 bytes: it is damaged")
            }
            try body(CustomerRow(key: key, phoneE164: row[0, 1] ?? "", taxID: row[0, 2] ?? "", values: values))
        }
    }

    package func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        try reading { try Self.presence(connection, tests, bySystem: bySystem, byOwner: byOwner) }
    }

    /// Adds up `presence_groups` as `SQLiteStore.presence` does.
    static func presence(
        _ connection: PostgresConnection, _ tests: [PresenceTest], bySystem: Bool, byOwner: Bool
    ) throws -> PresenceReport {
        let bits = tests.map(PresenceMask.bit(of:))
        let empty = PresenceCounts(filled: Array(repeating: 0, count: tests.count))
        var report = PresenceReport(overall: empty, bySystem: [:], byOwner: [:])
        let rows = try connection.execute("SELECT owner, systems, mask, customers FROM presence_groups")
        for index in 0..<rows.rows {
            let mask = Int64(rows[index, 2] ?? "") ?? 0
            let customers = rows.int(index, 3) ?? 0
            var counts = PresenceCounts(customers: customers, filled: bits.map { mask & $0 != 0 ? customers : 0 })
            if bits.allSatisfy({ mask & $0 != 0 }) { counts.complete = customers }
            report.overall.add(counts)
            if byOwner { report.byOwner[rows[index, 0] ?? "", default: empty].add(counts) }
            if bySystem {
                for system in (rows[index, 1] ?? "").split(separator: ",") {
                    report.bySystem[String(system), default: empty].add(counts)
                }
            }
        }
        return report
    }

    package func history(ofCustomer keyHex: String) throws -> CustomerHistory? {
        guard let key = CustomerKey(hex: keyHex) else { return nil }
        let columns = MasterColumn.allCases.map(\.name)
        return try reading { () -> CustomerHistory? in
            let customer = try connection.execute(
                """
                SELECT b.batch_id, b.as_of, c.created_system, c.created_source_id, \
                \(columns.map { "c.\($0)" }.joined(separator: ", "))
                FROM customers c JOIN batches b ON b.id = c.created_batch WHERE c.customer_key = $1::bytea
                """, [byteaText(key.bytes)])
            guard customer.rows == 1 else { return nil }
            let log = try connection.execute(
                """
                SELECT l.field, l.old_value, l.new_value, l.source_system, l.source_id, b.batch_id, l.changed_at
                FROM change_log l JOIN batches b ON b.id = l.batch WHERE l.customer_key = $1::bytea ORDER BY l.id
                """, [byteaText(key.bytes)])
            let changes = (0..<log.rows).map { row in
                CustomerHistory.Entry(
                    kind: .changed, batchID: log[row, 5] ?? "", at: log[row, 6] ?? "", sourceSystem: log[row, 3] ?? "",
                    sourceID: log[row, 4] ?? "", field: log[row, 0], oldValue: log[row, 1], newValue: log[row, 2])
            }
            var initial: [String: String?] = [:]
            for (index, column) in columns.enumerated() { initial[column] = customer[0, 4 + index] }
            for change in changes.reversed() { initial[change.field!] = change.oldValue }
            let created = CustomerHistory.Entry(
                kind: .created, batchID: customer[0, 0] ?? "", at: customer[0, 1] ?? "", sourceSystem: customer[0, 2] ?? "",
                sourceID: customer[0, 3] ?? "", values: initial.compactMapValues { $0 })
            return CustomerHistory(customerKey: keyHex.lowercased(), entries: [created] + changes)
        }
    }

    package func recentBatches(_ count: Int) throws -> [StoredBatch] {
        try reading {
            let rows = try connection.execute(
                "SELECT id, batch_id, pipeline, as_of, finished_at, summary FROM batches ORDER BY id DESC LIMIT $1",
                [String(count)])
            return try (0..<rows.rows).reversed().map { row in
                let number = rows[row, 0] ?? ""
                let metrics = try connection.execute(
                    """
                    SELECT metric, system, field, value, numerator, denominator FROM metrics WHERE batch = $1
                    ORDER BY metric, system, field
                    """, [number])
                return StoredBatch(
                    batchID: rows[row, 1] ?? "", pipeline: rows[row, 2] ?? "", asOf: rows[row, 3] ?? "",
                    finishedAt: rows[row, 4] ?? "", summary: rows[row, 5] ?? "",
                    metrics: (0..<metrics.rows).map {
                        MetricRow(
                            metric: metrics[$0, 0] ?? "", system: metrics[$0, 1] ?? "", field: metrics[$0, 2] ?? "",
                            value: Double(metrics[$0, 3] ?? "") ?? 0, numerator: metrics.int($0, 4),
                            denominator: metrics.int($0, 5))
                    },
                    rejectsByReason: try rejectCounts(batch: number))
            }
        }
    }

    package func rejectCounts() throws -> [String: Int] {
        try reading { try rejectCounts(batch: nil) }
    }

    private func rejectCounts(batch: String?) throws(StoreError) -> [String: Int] {
        let rows = try connection.execute(
            "SELECT reason_code, count(*) FROM rejects WHERE $1::bigint IS NULL OR batch = $1::bigint GROUP BY reason_code",
            [batch])
        return Dictionary(uniqueKeysWithValues: (0..<rows.rows).map { (rows[$0, 0] ?? "", rows.int($0, 1) ?? 0) })
    }
}
