import Foundation
import GRDBSQLite

/// The stored raw digests of one source system's rows, read on the reading thread through a
/// connection of its own. It holds one read transaction, so it sees the store as the last
/// committed batch left it: the running batch's writes (uncommitted, in the WAL) are invisible.
/// The batch confirms each row it reports unchanged against its own writes.
/// Close it before the batch commits: an open read transaction would hold back the checkpoint.
///
/// Exports list their ids in order, so look-ups walk one scan of the system's rows forward, as
/// a merge join, and seek anew only when an id lies behind the scan or far ahead of it: a seek
/// per row was a quarter of the reading thread of a nightly run.
package final class RawDigestSnapshot {
    private var connection: OpaquePointer?
    /// `source_id, raw_digest, pending` of the system's rows from `?2` on, in the store's order
    /// (SQLite's BINARY collation: bytes, then length).
    private var scan: OpaquePointer?
    private let system: String
    /// No stored id lies at or above this one and below the scan's row (or at all, when the scan
    /// has run out): nil before the first seek.
    private var lowerBound: [UInt8]?
    private var onRow = false
    /// Another store's snapshot (PostgreSQL's), which answers in this one's place.
    private(set) var other: (any RawDigestSource)?

    /// Rows stepped over before a seek is the cheaper way forward.
    private static let maxSteps = 8

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
            scan = try prepare(
                """
                SELECT source_id, raw_digest, state = 'pending' FROM xref
                WHERE source_system = ?1 AND source_id >= ?2 ORDER BY source_id
                """)
            let any = try prepare("SELECT 1 FROM xref WHERE source_system = ?1 LIMIT 1")
            defer { sqlite3_finalize(any) }
            FastStatement.bind(system, at: 1, of: any)
            guard sqlite3_step(any) == SQLITE_ROW else { close(); return nil }
        } catch {
            close()
            throw error
        }
    }

    /// A snapshot that `other` answers.
    init(_ other: any RawDigestSource) {
        system = ""
        self.other = other
    }

    deinit { close() }

    /// The stored digest of `sourceID`'s row and whether it is pending; nil when it has no
    /// digest (new, or stored before digests).
    package func stored(_ sourceID: String) -> (rawDigest: Int64, pending: Bool)? {
        if let other { return other.stored(sourceID) }
        guard scan != nil else { return nil }
        var sourceID = sourceID
        return sourceID.withUTF8 { wanted in
            if lowerBound.map({ Self.compare($0, wanted) <= 0 }) ?? false {
                for _ in 0..<Self.maxSteps {
                    guard onRow else { return nil }
                    let order = Self.compare(currentID, wanted)
                    if order == 0 { return current }
                    if order > 0 { return nil }
                    // The next row follows this one, which is below `wanted`: nothing lies between.
                    onRow = sqlite3_step(scan) == SQLITE_ROW
                    self.lowerBound!.removeAll(keepingCapacity: true)
                    self.lowerBound!.append(contentsOf: wanted)
                }
            }
            sqlite3_reset(scan)
            FastStatement.bind(system, at: 1, of: scan)
            sqlite3_bind_text(
                scan, 2,
                UnsafeRawPointer(wanted.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                    .assumingMemoryBound(to: CChar.self), Int32(wanted.count), FastStatement.transient)
            self.lowerBound = Array(wanted)
            onRow = sqlite3_step(scan) == SQLITE_ROW
            return onRow && Self.compare(currentID, wanted) == 0 ? current : nil
        }
    }

    /// Ends the read transaction and the connection.
    package func close() {
        other?.close()
        other = nil
        sqlite3_finalize(scan)
        scan = nil
        if let connection {
            sqlite3_exec(connection, "COMMIT", nil, nil, nil)
            sqlite3_close(connection)
        }
        connection = nil
    }

    private var currentID: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: sqlite3_column_text(scan, 0), count: Int(sqlite3_column_bytes(scan, 0)))
    }

    private var current: (rawDigest: Int64, pending: Bool)? {
        guard sqlite3_column_type(scan, 1) == SQLITE_INTEGER else { return nil }
        return (sqlite3_column_int64(scan, 1), sqlite3_column_int64(scan, 2) != 0)
    }

    /// SQLite's BINARY order, and PostgreSQL's `COLLATE "C"`: the bytes, then the shorter first.
    static func compare(_ a: some ContiguousBytes, _ b: some ContiguousBytes) -> Int {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                let common = min(a.count, b.count)
                if common > 0, let x = a.baseAddress, let y = b.baseAddress {
                    let order = memcmp(x, y, common)
                    if order != 0 { return Int(order) }
                }
                return a.count - b.count
            }
        }
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

/// What a store other than SQLite answers a `RawDigestSnapshot` with.
protocol RawDigestSource: AnyObject {
    func stored(_ sourceID: String) -> (rawDigest: Int64, pending: Bool)?
    func close()
}
