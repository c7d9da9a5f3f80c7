import Foundation

/// The shared master store: one schema of a PostgreSQL database, which several runners on
/// several machines load into, and BI tools read while a batch writes. The same rules as the
/// SQLite store: versioned migrations, one transaction per batch, and batches serialized by a
/// store-wide lock (`pg_advisory_xact_lock` on a hash of the schema) taken when the batch begins.
/// A waiting runner reads and normalizes ahead meanwhile (`withBatch`'s `whileWaiting`): only
/// the merges wait for each other.
package final class PostgresStore: MasterStore {
    package let postgres: PostgresLocation
    package var location: StoreLocation { .postgres(postgres) }
    let connection: PostgresConnection
    /// Seconds a batch waits for the store's lock before `StoreError.busy`.
    let wait: TimeInterval
    /// The fewest customers a first load creates before it drops the lookup indexes
    /// (`PostgresBatchSession+BulkLoad.swift`); tests lower it.
    package var bulkLoadMinimum = 50_000

    /// Connects and brings the schema up to date. `create`: make the schema when it does not
    /// exist (a run); otherwise such a store is refused (exports, health, scans read an existing one).
    package init(_ postgres: PostgresLocation, wait: TimeInterval = 10, create: Bool) throws(StoreError) {
        self.postgres = postgres
        self.wait = wait
        connection = try PostgresConnection(postgres)
        try connection.execute("SELECT set_config('search_path', $1, false)", [quoted])
        let applied = try appliedMigrations()
        if applied == nil && !create {
            throw StoreError(.cannotOpen, "no store at \(postgres.masked): run a pipeline into it first")
        }
        try refuseNewer(applied ?? [])
        if Self.migrations.contains(where: { !(applied ?? []).contains($0.identifier) }) { try migrate() }
    }

    /// The schema as an SQL identifier.
    var quoted: String { "\"\(postgres.schema)\"" }

    /// The migrations the store records; nil when it has no migrations table (no store yet).
    private func appliedMigrations() throws(StoreError) -> Set<String>? {
        let table = try connection.execute("SELECT to_regclass($1)", ["\(quoted).schema_migrations"])
        guard table[0, 0] != nil else { return nil }
        let rows = try connection.execute("SELECT identifier FROM schema_migrations")
        return Set((0..<rows.rows).compactMap { rows[$0, 0] })
    }

    /// A store a newer crmbridge has migrated further holds what this build cannot keep right.
    private func refuseNewer(_ applied: Set<String>) throws(StoreError) {
        let unknown = applied.subtracting(Self.migrations.map(\.identifier))
        guard !unknown.isEmpty else { return }
        throw StoreError(
            .cannotOpen,
            """
            \(postgres.masked) was written by a newer crmbridge (its schema has \(unknown.sorted().joined(separator: ", "))): \
            use that version or a newer one
            """)
    }

    /// Applies the missing migrations in one transaction under the store's lock, so that two
    /// first runs never both create the schema.
    private func migrate() throws(StoreError) {
        try connection.execute("BEGIN")
        do {
            try lock()
            try connection.execute("CREATE SCHEMA IF NOT EXISTS \(quoted)")
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            let applied = try appliedMigrations() ?? []
            try refuseNewer(applied)
            for migration in Self.migrations where !applied.contains(migration.identifier) {
                try connection.execute(migration.sql)
                try connection.execute("INSERT INTO schema_migrations (identifier) VALUES ($1)", [migration.identifier])
            }
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Takes the store's lock for the running transaction, waiting up to `wait` seconds, and
    /// calling `whileWaiting` with a time to return by between two tries. The lock goes with
    /// the transaction, and with the connection when a runner dies.
    func lock(whileWaiting: (Date) -> Void = PostgresStore.pause(until:)) throws(StoreError) {
        let deadline = Date().addingTimeInterval(wait)
        while true {
            let granted = try connection.execute(
                "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", ["crmbridge store " + postgres.schema])
            if granted[0, 0] == "t" { return }
            guard Date() < deadline else {
                throw StoreError(
                    .busy,
                    """
                    another crmbridge run is writing to \(postgres.masked) (waited \(Int(wait)) s): \
                    try again when it has finished, or raise --wait
                    """)
            }
            whileWaiting(min(deadline, Date().addingTimeInterval(0.1)))
        }
    }

    static func pause(until time: Date) {
        let left = time.timeIntervalSinceNow
        if left > 0 { usleep(UInt32(left * 1e6)) }
    }

    package func withBatch<T>(
        _ batch: BatchInfo, whileWaiting: (any CommittedReads, Date) -> Void,
        _ body: (any BatchSession) throws -> T
    ) throws -> T {
        try connection.execute("BEGIN")
        do {
            let committed = PostgresCommittedReads(postgres)
            try lock { time in
                whileWaiting(committed, time)
                // Back early: nothing to read ahead now (it is full, or done).
                Self.pause(until: time)
            }
            let session = try PostgresBatchSession(connection: connection, batch: batch, bulkLoadMinimum: bulkLoadMinimum)
            let result = try body(session)
            try session.completeDeferredWrites()
            try connection.execute("COMMIT")
            return result
        } catch {
            _ = try? connection.execute("ROLLBACK")
            if let error = error as? StoreError, error.code == .failed, !error.message.contains("rolled back") {
                throw StoreError(.failed, error.message + "; the batch was rolled back")
            }
            throw error
        }
    }

    /// The batch that loaded a file with this checksum for this system, if any.
    static func batchThatLoaded(_ connection: PostgresConnection, system: String, sha256: String) throws(StoreError)
        -> String?
    {
        try connection.execute(
            """
            SELECT b.batch_id FROM batch_files f JOIN batches b ON b.id = f.batch
            WHERE f.source_system = $1 AND f.sha256 = $2 LIMIT 1
            """, [system, sha256])[0, 0]
    }

    /// Runs `body` in one read-only transaction: a report sees one batch's result, never half of one.
    func reading<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { _ = try? connection.execute("COMMIT") }
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "cannot read the store \(postgres.masked): \(error)")
        }
    }
}
