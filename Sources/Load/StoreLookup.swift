import Foundation
import GRDB
import Transform

/// Read-only look-ups against a master store: what a run would find for a record, without a
/// batch. `crmbridge preview` asks them. The file is opened read-only and, unlike
/// `SQLiteStore(readOnly:)`, never migrated: a preview leaves the store exactly as it was.
package final class StoreLookup {
    package let path: String
    private let queue: DatabaseQueue

    /// A store no run has open has no -wal file, and a read-only connection would leave a -wal
    /// and a -shm beside it: opened `immutable` (SQLite's URI parameter: no locks, no side
    /// files), the preview leaves the folder as it found it. A store with a -wal (a run at work,
    /// or one that was killed) is opened read-only as usual: its side files exist already.
    private static func open(_ path: String, configuration: Configuration) throws -> DatabaseQueue {
        if !FileManager.default.fileExists(atPath: path + "-wal") {
            let escaped = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
                .replacingOccurrences(of: "#", with: "%23")
            // Without URI support in the SQLite build the name is taken literally and not found.
            if let queue = try? DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration),
                (try? queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }) != nil
            {
                return queue
            }
        }
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// A source record's cross-reference row.
    package struct StoredRecord: Sendable, Equatable {
        /// `merged` or `pending`.
        package var state: String
        /// Lowercase hex; nil while pending.
        package var customerKey: CustomerKey?
        /// `CanonicalRecord.digest` of the values stored.
        package var digest: Int64
    }

    package init(path: String) throws(StoreError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.cannotOpen, "no store at \(path)")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        do {
            queue = try Self.open(path, configuration: configuration)
            let tables = try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
            guard Set(["customers", "xref", "landlines", "batch_files", "batches"]).isSubset(of: tables) else {
                throw StoreError(.cannotOpen, "\(path) is not a crmbridge store (it lacks the customers and xref tables)")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.cannotOpen, "cannot open the store \(path) read-only: \(SQLiteStore.describe(error))")
        }
    }

    /// The store's row for a source record, if it has one.
    package func record(system: String, sourceID: String) throws(StoreError) -> StoredRecord? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT state, customer_key, digest FROM xref WHERE source_system = ? AND source_id = ?
                        """, arguments: [system, sourceID])
            else { return nil }
            let key: Data? = row[1]
            return StoredRecord(state: row[0], customerKey: key.flatMap { CustomerKey(bytes: $0) }, digest: row[2])
        }
    }

    /// Whether a customer has this key.
    package func hasCustomer(key: CustomerKey) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM customers WHERE customer_key = ?)",
                arguments: [Data(key.bytes)]) ?? false
        }
    }

    /// Up to two customers holding a mobile, a tax ID or a landline: the pending
    /// pass links a record only when exactly one does.
    package func customers(mobile: String) throws(StoreError) -> [CustomerKey] {
        try keys("SELECT customer_key FROM customers WHERE phone_e164 = ? LIMIT 2", mobile)
    }

    package func customers(taxID: String) throws(StoreError) -> [CustomerKey] {
        try keys("SELECT customer_key FROM customers WHERE tax_id = ? LIMIT 2", taxID)
    }

    package func customers(landline: String) throws(StoreError) -> [CustomerKey] {
        try keys("SELECT customer_key FROM landlines WHERE landline_e164 = ? LIMIT 2", landline)
    }

    /// The batch (UUID) that loaded a file with this checksum for `system`, if one did: a run
    /// skips such a file unless forced.
    package func batchThatLoaded(system: String, sha256: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT b.batch_id FROM batch_files f JOIN batches b ON b.id = f.batch
                    WHERE f.source_system = ? AND f.sha256 = ? LIMIT 1
                    """, arguments: [system, sha256])
        }
    }

    private func keys(_ sql: String, _ value: String) throws(StoreError) -> [CustomerKey] {
        try read { db in try Data.fetchAll(db, sql: sql, arguments: [value]).compactMap { CustomerKey(bytes: $0) } }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw StoreError(.cannotOpen, "cannot read the store \(path): \(SQLiteStore.describe(error))")
        }
    }
}
