import Extract
import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped through SQLite's C API. The per-row path of a batch
/// spent a third of its time converting values through GRDB's `StatementArguments`; this binds
/// each value in place. The statement is still GRDB's, prepared on the batch's connection.
struct FastStatement: RowBinding {
    private let statement: Statement
    private let db: Database
    private var handle: OpaquePointer { statement.sqliteStatement }
    private var index: Int32 = 0
    /// The bytes of the row's text and blob values, bound in place (`SQLITE_STATIC`).
    private let arena = BindArena()

    /// SQLite copies the bytes before `bind` returns.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    /// Starts a new row of arguments. Every argument must be bound again before the statement
    /// runs: the previous row's bytes are overwritten.
    mutating func reset() {
        sqlite3_reset(handle)
        index = 0
        arena.clear()
    }

    mutating func bindNull() {
        index += 1
        sqlite3_bind_null(handle, index)
    }

    mutating func bindInteger(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds text or a blob, from the arena when it fits: a copy into SQLite's own memory cost a
    /// malloc and a free per value.
    mutating func bindBytes(_ bytes: UnsafeRawBufferPointer, text: Bool) {
        let copy = bytes.isEmpty ? nil : arena.copy(bytes)
        // No destructor (`SQLITE_STATIC`): SQLite reads the bytes in place until the next binding.
        bind(copy.map { UnsafeRawBufferPointer(start: $0, count: bytes.count) } ?? bytes, text: text, copied: copy == nil)
    }

    /// Binds bytes that stay where they are until the statement has run (`BatchedInsert`'s).
    mutating func bindInPlace(_ bytes: UnsafeRawBufferPointer, text: Bool) {
        bind(bytes, text: text, copied: false)
    }

    /// `copied`: SQLite copies the bytes (`SQLITE_TRANSIENT`); otherwise it reads them in place.
    private mutating func bind(_ bytes: UnsafeRawBufferPointer, text: Bool, copied: Bool) {
        index += 1
        let destructor: sqlite3_destructor_type? = copied ? Self.transient : nil
        if text {
            let pointer = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            _ = sqlite3_bind_text(handle, index, pointer.assumingMemoryBound(to: CChar.self), Int32(bytes.count), destructor)
        } else {
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), destructor)
        }
    }

    /// Binds `text` to any statement handle.
    static func bind(_ text: String, at index: Int32, of handle: OpaquePointer?) {
        text.withUTF8Bytes { bytes in
            let raw = UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            _ = sqlite3_bind_text(handle, index, raw.assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
        }
    }

    /// Ends a query's reading (no statement stays open on a table the batch writes next); its
    /// arguments stay bound.
    func resetReading() { sqlite3_reset(handle) }

    /// Steps a query: true while it has a row, whose columns `int64`, `text` and `blob` read.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(handle)
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// nil for NULL.
    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(
            decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))),
            as: UTF8.self)
    }

    /// A text column's bytes in SQLite's memory, nil for NULL: valid until the next `step` or reset.
    func textBytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// Runs the statement; returns the number of rows it changed.
    @discardableResult
    func execute() throws -> Int {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        return Int(sqlite3_changes(db.sqliteConnection))
    }
}

/// Memory for the values of one bound row, reused row after row.
private final class BindArena {
    private static let capacity = 16_384
    private let base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    private var used = 0

    deinit { base.deallocate() }

    func clear() { used = 0 }

    /// A copy of `bytes` that stays until `clear`; nil when it does not fit.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer? {
        guard let source = bytes.baseAddress, bytes.count <= Self.capacity - used else { return nil }
        let target = base + used
        target.copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
        return UnsafeRawPointer(target)
    }
}
