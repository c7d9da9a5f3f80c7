import Foundation
import GRDB
import Transform

/// A scan's list as remembered in the store, so that the next scan can say what was closed.
package struct RememberedScan: Sendable {
    package var scannedAt: String
    /// Per customer: the fields that were missing.
    package var items: [CustomerKey: [String]]
}

extension SQLiteStore {
    /// The latest remembered scan of this kind, if any.
    package func lastScan(kind: String) throws(StoreError) -> RememberedScan? {
        try reading { db in
            guard
                let scan = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, scanned_at FROM scans WHERE kind = ? ORDER BY id DESC LIMIT 1
                        """, arguments: [kind])
            else { return nil }
            var items: [CustomerKey: [String]] = [:]
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT customer_key, missing FROM scan_items WHERE scan = ?",
                arguments: [scan[0] as Int64])
            while let row = try cursor.next() {
                let missing: String = row[1]
                guard let key = CustomerKey(bytes: row[0] as Data) else { continue }
                items[key] = missing.split(separator: ",").map(String.init)
            }
            return RememberedScan(scannedAt: scan[1], items: items)
        }
    }

    /// Remembers a scan's list (customer key → missing fields) and what became of the one before.
    package func remember(
        kind: String, scannedAt: String, items: [(key: CustomerKey, missing: [String])],
        followUp: (listed: Int, closed: Int, closedWithin48h: Int)?
    ) throws(StoreError) {
        do {
            try queue.inTransaction(.immediate) { db in
                try db.execute(
                    sql: """
                        INSERT INTO scans (kind, scanned_at, items, previous_listed, closed, closed_within_48h)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        kind, scannedAt, items.count, followUp?.listed, followUp?.closed,
                        followUp?.closedWithin48h,
                    ])
                let scan = db.lastInsertedRowID
                let insert = try db.makeStatement(sql: "INSERT INTO scan_items (scan, customer_key, missing) VALUES (?, ?, ?)")
                for item in items {
                    try insert.execute(arguments: [scan, Data(item.key.bytes), item.missing.joined(separator: ",")])
                }
                return .commit
            }
        } catch {
            throw StoreError(.failed, "cannot remember the scan in \(path): \(Self.describe(error))")
        }
    }

    /// When a customer's field first got a value after `since` (change-log time), if it did.
    package func firstFilled(key: CustomerKey, columns: [String], since: String) throws(StoreError) -> String? {
        try reading { db in
            let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            return try String.fetchOne(
                db,
                sql: """
                    SELECT MIN(changed_at) FROM change_log
                    WHERE customer_key = ? AND field IN (\(marks)) AND new_value IS NOT NULL AND changed_at > ?
                    """, arguments: StatementArguments([Data(key.bytes)] + columns + [since]))
        }
    }

    func reading<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw StoreError(.failed, "cannot read the store \(path): \(Self.describe(error))")
        }
    }
}

/// The latest normalized record one source system holds for a customer.
package struct SystemRecord: Sendable {
    package var customerKey: CustomerKey
    package var customerName: String?
    package var customerStatus: String?
    package var record: CanonicalRecord
}

extension SQLiteStore {
    /// Every merged source record of `systems`, grouped by customer (ordered by key).
    package func forEachMergedRecord(of systems: [String], _ body: (SystemRecord) throws -> Void) throws(StoreError) {
        try reading { db in
            let marks = Array(repeating: "?", count: systems.count).joined(separator: ", ")
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT x.customer_key, c.name, c.status, x.source_system, x.source_id, x.record
                    FROM xref x JOIN customers c ON c.customer_key = x.customer_key
                    WHERE x.state = 'merged' AND x.source_system IN (\(marks))
                    ORDER BY x.customer_key, x.source_system, x.source_id
                    """, arguments: StatementArguments(systems))
            while let row = try cursor.next() {
                guard let key = CustomerKey(bytes: row[0] as Data),
                    let record = CanonicalRecord(encoded: row[5], sourceSystem: row[3], sourceID: row[4])
                else { continue }
                try body(
                    SystemRecord(
                        customerKey: key, customerName: row[1], customerStatus: row[2],
                        record: record))
            }
        }
    }
}

extension SQLiteStore {
    package func sourceIDs(of keys: Set<CustomerKey>, systems: [String]?) throws(StoreError) -> [CustomerKey: [String: [String]]]
    {
        try reading { db in
            let filter: String
            var arguments = StatementArguments()
            if let systems {
                filter = "x.source_system IN (\(Array(repeating: "?", count: systems.count).joined(separator: ", ")))"
                arguments = StatementArguments(systems)
            } else {
                filter = "x.source_system NOT IN (SELECT DISTINCT source_system FROM interactions)"
            }
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT x.customer_key, x.source_system, x.source_id FROM xref x
                    WHERE x.state = 'merged' AND \(filter) ORDER BY x.customer_key, x.source_system, x.source_id
                    """, arguments: arguments)
            var ids: [CustomerKey: [String: [String]]] = [:]
            while let row = try cursor.next() {
                guard let key = CustomerKey(bytes: row[0] as Data), keys.contains(key) else { continue }
                ids[key, default: [:]][row[1] as String, default: []].append(row[2])
            }
            return ids
        }
    }
}
