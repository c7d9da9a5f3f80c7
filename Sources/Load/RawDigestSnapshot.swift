import GRDBSQLite

/// The stored raw digests of one source system's rows, read on the reading thread through a
/// connection of its own. It holds one read transaction, so it sees the store as the last
/// committed batch left it: the running batch's writes (uncommitted, in the WAL) are invisible.
/// The batch confirms each row it reports unchanged against its own writes.
/// Close it before the batch commits: an open read transaction would hold back the checkpoint.
public final class RawDigestSnapshot {
    private var connection: OpaquePointer?
    private var lookup: OpaquePointer?
    private let system: String

    /// nil when the store holds no row of `system`.
    init?(path: String, system: String) throws(StoreError) {
        self.system = system
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(connection)
            throw StoreError(.cannotOpen, "cannot open a second connection to \(path): \(message)")
        }
        do {
            try run("BEGIN")
            lookup = try prepare("SELECT raw_digest, state = 'pending' FROM xref WHERE source_system = ?1 AND source_id = ?2")
            let any = try prepare("SELECT 1 FROM xref WHERE source_system = ?1 LIMIT 1")
            defer { sqlite3_finalize(any) }
            FastStatement.bind(system, at: 1, of: any)
            guard sqlite3_step(any) == SQLITE_ROW else { close(); return nil }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// The stored digest of `sourceID`'s row and whether it is pending; nil when it has no
    /// digest (new, or stored before digests).
    public func stored(_ sourceID: String) -> (rawDigest: Int64, pending: Bool)? {
        guard let lookup else { return nil }
        sqlite3_reset(lookup)
        FastStatement.bind(system, at: 1, of: lookup)
        FastStatement.bind(sourceID, at: 2, of: lookup)
        guard sqlite3_step(lookup) == SQLITE_ROW, sqlite3_column_type(lookup, 0) == SQLITE_INTEGER else { return nil }
        return (sqlite3_column_int64(lookup, 0), sqlite3_column_int64(lookup, 1) != 0)
    }

    /// Ends the read transaction and the connection.
    public func close() {
        sqlite3_finalize(lookup)
        lookup = nil
        if let connection {
            sqlite3_exec(connection, "COMMIT", nil, nil, nil)
            sqlite3_close(connection)
        }
        connection = nil
    }

    private func run(_ sql: String) throws(StoreError) {
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    private func prepare(_ sql: String) throws(StoreError) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(sql) }
        return statement
    }

    private func failure(_ sql: String) -> StoreError {
        StoreError(.failed, "reading the stored row digests failed (\(sql)): \(String(cString: sqlite3_errmsg(connection)))")
    }
}
