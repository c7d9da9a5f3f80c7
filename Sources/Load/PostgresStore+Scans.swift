import Foundation
import Transform

/// The scans' storage and the per-owner counts, as `SQLiteStore+Scans.swift` and
/// `SQLiteStore+Owners.swift` keep them.
extension PostgresStore {
    package func lastScan(kind: String) throws(StoreError) -> RememberedScan? {
        try reading {
            let scan = try connection.execute("SELECT id, scanned_at FROM scans WHERE kind = $1 ORDER BY id DESC LIMIT 1", [kind])
            guard scan.rows == 1 else { return nil }
            let rows = try connection.execute("SELECT customer_key, missing FROM scan_items WHERE scan = $1", [scan[0, 0]])
            var items: [CustomerKey: [String]] = [:]
            for row in 0..<rows.rows {
                guard let key = rows.bytes(row, 0).flatMap({ CustomerKey(bytes: $0) }) else { continue }
                items[key] = (rows[row, 1] ?? "").split(separator: ",").map(String.init)
            }
            return RememberedScan(scannedAt: scan[0, 1] ?? "", items: items)
        }
    }

    package func remember(
        kind: String, scannedAt: String, items: [(key: CustomerKey, missing: [String])],
        followUp: (listed: Int, closed: Int, closedWithin48h: Int)?
    ) throws(StoreError) {
        do {
            try connection.execute("BEGIN")
            let scan = try connection.execute(
                """
                INSERT INTO scans (kind, scanned_at, items, previous_listed, closed, closed_within_48h)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
                """,
                [
                    kind, scannedAt, String(items.count), followUp.map { String($0.listed) }, followUp.map { String($0.closed) },
                    followUp.map { String($0.closedWithin48h) },
                ])
            var rows = CopyRows()
            for item in items {
                rows.add(scan[0, 0])
                rows.add(bytea: item.key.bytes)
                rows.add(item.missing.joined(separator: ","))
                rows.endRow()
            }
            if !rows.isEmpty { try connection.copy("COPY scan_items (scan, customer_key, missing) FROM STDIN", rows.bytes) }
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw StoreError(.failed, "cannot remember the scan in \(postgres.masked): \(error)")
        }
    }

    package func firstFilled(key: CustomerKey, columns: [String], since: String) throws(StoreError) -> String? {
        try reading {
            try connection.execute(
                """
                SELECT min(changed_at COLLATE "C") FROM change_log
                WHERE customer_key = $1::bytea AND field = ANY($2::text[]) AND new_value IS NOT NULL
                    AND changed_at COLLATE "C" > $3
                """, [byteaText(key.bytes), arrayLiteral(columns), since])[0, 0]
        }
    }

    package func sourceIDs(of keys: Set<CustomerKey>, systems: [String]?) throws(StoreError) -> [CustomerKey: [String: [String]]]
    {
        let filter =
            systems == nil
            ? "x.source_system NOT IN (SELECT DISTINCT source_system FROM interactions)" : "x.source_system = ANY($1::text[])"
        var ids: [CustomerKey: [String: [String]]] = [:]
        try reading {
            try connection.stream(
                """
                SELECT x.customer_key, x.source_system, x.source_id FROM xref x
                WHERE x.state = 'merged' AND \(filter)
                ORDER BY x.customer_key, x.source_system COLLATE "C", x.source_id COLLATE "C"
                """, systems.map { [arrayLiteral($0)] } ?? []
            ) { row in
                guard let key = row.bytes(0, 0).flatMap({ CustomerKey(bytes: $0) }), keys.contains(key) else { return }
                ids[key, default: [:]][row[0, 1] ?? "", default: []].append(row[0, 2] ?? "")
            }
        }
        return ids
    }

    package func forEachMergedRecord(of systems: [String], _ body: (SystemRecord) throws -> Void) throws(StoreError) {
        try reading {
            try connection.stream(
                """
                SELECT x.customer_key, c.name, c.status, x.source_system, x.source_id, x.record
                FROM xref x JOIN customers c ON c.customer_key = x.customer_key
                WHERE x.state = 'merged' AND x.source_system = ANY($1::text[])
                ORDER BY x.customer_key, x.source_system, x.source_id
                """, [arrayLiteral(systems)]
            ) { row in
                guard let key = row.bytes(0, 0).flatMap({ CustomerKey(bytes: $0) }),
                    let record = CanonicalRecord(
                        encoded: row[0, 5] ?? "", sourceSystem: row[0, 3] ?? "", sourceID: row[0, 4] ?? "")
                else { return }
                try body(SystemRecord(customerKey: key, customerName: row[0, 1], customerStatus: row[0, 2], record: record))
            }
        }
    }

    package func ownerCounts(customers: [String: (customers: Int, complete: Int)]) throws(StoreError) -> [OwnerCounts] {
        try reading {
            var owners: [String: OwnerCounts] = [:]
            func entry(_ owner: String) -> OwnerCounts {
                owners[owner] ?? OwnerCounts(owner: owner, customers: 0, complete: 0, rejects: 0, gapsOpen: 0)
            }
            for (owner, counts) in customers {
                owners[owner] = OwnerCounts(
                    owner: owner, customers: counts.customers, complete: counts.complete, rejects: 0, gapsOpen: 0)
            }
            let rejects = try connection.execute(
                """
                SELECT owner, count(*) FROM rejects WHERE batch = (SELECT max(id) FROM batches) AND owner <> '' GROUP BY owner
                """)
            for row in 0..<rejects.rows {
                var counts = entry(rejects[row, 0] ?? "")
                counts.rejects = rejects.int(row, 1) ?? 0
                owners[counts.owner] = counts
            }
            let scans = try connection.execute("SELECT id FROM scans WHERE kind = 'gaps' ORDER BY id DESC LIMIT 2")
            if scans.rows > 0 {
                let open = try connection.execute(
                    """
                    SELECT COALESCE(c.owner, ''), count(*) FROM scan_items i JOIN customers c USING (customer_key)
                    WHERE i.scan = $1 GROUP BY 1
                    """, [scans[0, 0]])
                for row in 0..<open.rows {
                    var counts = entry(open[row, 0] ?? "")
                    counts.gapsOpen = open.int(row, 1) ?? 0
                    owners[counts.owner] = counts
                }
            }
            if scans.rows == 2 {
                let before = try connection.execute(
                    """
                    SELECT COALESCE(c.owner, ''), count(*),
                        count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM scan_items l WHERE l.scan = $1 AND l.customer_key = i.customer_key))
                    FROM scan_items i JOIN customers c USING (customer_key) WHERE i.scan = $2 GROUP BY 1
                    """, [scans[0, 0], scans[1, 0]])
                for row in 0..<before.rows {
                    var counts = entry(before[row, 0] ?? "")
                    counts.gapsListedBefore = before.int(row, 1)
                    counts.gapsClosed = before.int(row, 2)
                    owners[counts.owner] = counts
                }
            }
            return owners.values.sorted { $0.owner < $1.owner }
        }
    }

    package func latestGapScan() throws(StoreError) -> GapScanSummary? {
        try reading {
            let scan = try connection.execute(
                """
                SELECT id, scanned_at, items, previous_listed, closed, closed_within_48h FROM scans
                WHERE kind = 'gaps' ORDER BY id DESC LIMIT 1
                """)
            guard scan.rows == 1 else { return nil }
            let groups = try connection.execute(
                """
                SELECT COALESCE(c.sales_group, '') COLLATE "C", count(*) FROM scan_items i JOIN customers c USING (customer_key)
                WHERE i.scan = $1 GROUP BY 1 ORDER BY 2 DESC, 1
                """, [scan[0, 0]])
            return GapScanSummary(
                scannedAt: scan[0, 1] ?? "", customers: scan.int(0, 2) ?? 0,
                bySalesGroup: (0..<groups.rows).map {
                    GapScanSummary.Group(salesGroup: groups[$0, 0] ?? "", customers: groups.int($0, 1) ?? 0)
                },
                previousListed: scan.int(0, 3), closed: scan.int(0, 4), closedWithin48h: scan.int(0, 5))
        }
    }
}
