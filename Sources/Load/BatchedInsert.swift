import GRDB

/// Rows of one `INSERT`, sent to SQLite up to sixteen to a statement (`VALUES (…), (…)`). A
/// statement's own work (starting its program, opening and closing its cursors) was about 40%
/// of a short row's insert: against the system SQLite from C, 480,000 cross-reference rows took
/// 1.85–1.90 µs a row one to a statement and 1.13 µs sixteen to one; 27-column customers with
/// random keys 3.5 against 3.1–3.2 µs (`scripts/bench_rows_per_statement.c`).
///
/// A row is in the table only after `flush`, which runs by itself every sixteen rows: the
/// caller flushes before anything reads the table or writes a row that may be waiting. Only
/// rows that must all go in come here (a new customer, a change-log row): the statement is
/// `INSERT OR IGNORE`, and a row it ignored fails the batch. A plain `INSERT` of several rows
/// may stop halfway, so SQLite keeps a statement journal for it, a copy of every page it
/// changes: 1.3 GB more written to temporary files in a first load of the world.
final class BatchedInsert: RowBinding {
    static let rowsPerStatement = 16

    private enum Value {
        case null
        case integer(Int64)
        case bytes(at: Int, count: Int, text: Bool)
    }

    private let db: Database
    private let table: String
    /// `INSERT … VALUES ` and one row's `(?, …)`.
    private let head: String
    private let row: String
    private let columns: Int
    // Unchecked at run time: the run-time exclusivity checks of these, touched for every value
    // bound, were about 5% of the store thread in a first load of the world (the store thread alone
    // uses a session's inserts).

    /// The statements for 1, 2, 4, 8 and 16 rows, prepared when first needed: rows sent before
    /// a statement is full go in those sizes (seven as 4 + 2 + 1), so a table keeps five
    /// prepared statements, not sixteen.
    @exclusivity(unchecked) private var statements: [FastStatement?] = Array(repeating: nil, count: 5)
    @exclusivity(unchecked) private var values: [Value] = []
    /// The waiting rows' text and blob bytes, one copy of each, bound in place. Raw memory: an
    /// array's `append(contentsOf:)` cost twice the copy.
    @exclusivity(unchecked) private var bytes = UnsafeMutableRawPointer.allocate(byteCount: 16_384, alignment: 8)
    @exclusivity(unchecked) private var capacity = 16_384
    @exclusivity(unchecked) private var used = 0
    /// Rows bound whole and not yet sent.
    @exclusivity(unchecked) private(set) var waiting = 0

    init(_ db: Database, into table: String, columns: [String]) {
        self.db = db
        self.table = table
        head = "INSERT OR IGNORE INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        self.columns = columns.count
        values.reserveCapacity(columns.count * Self.rowsPerStatement)
    }

    deinit { bytes.deallocate() }

    func bindNull() { values.append(.null) }

    func bindInteger(_ value: Int64) { values.append(.integer(value)) }

    func bindBytes(_ bytes: UnsafeRawBufferPointer, text: Bool) {
        if used + bytes.count > capacity {
            capacity = max(capacity * 2, used + bytes.count)
            let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            larger.copyMemory(from: self.bytes, byteCount: used)
            self.bytes.deallocate()
            self.bytes = larger
        }
        if let source = bytes.baseAddress { (self.bytes + used).copyMemory(from: source, byteCount: bytes.count) }
        values.append(.bytes(at: used, count: bytes.count, text: text))
        used += bytes.count
    }

    /// Ends a row of `columns` values; sends the rows when they fill a statement.
    func endRow() throws {
        precondition(values.count == (waiting + 1) * columns, "a row of \(head) bound \(values.count % columns) values")
        waiting += 1
        if waiting == Self.rowsPerStatement { try flush() }
    }

    /// Sends the waiting rows.
    func flush() throws {
        var sent = 0
        while sent < waiting {
            let count = 1 << (Int.bitWidth - 1 - (waiting - sent).leadingZeroBitCount)
            try send(rows: sent, count: count)
            sent += count
        }
        values.removeAll(keepingCapacity: true)
        used = 0
        waiting = 0
    }

    /// Sends `count` (a power of two) waiting rows from the row at `first`.
    private func send(rows first: Int, count: Int) throws {
        let slot = count.trailingZeroBitCount
        var statement =
            try statements[slot] ?? FastStatement(db, sql: head + Array(repeating: row, count: count).joined(separator: ", "))
        statement.reset()
        for value in values[first * columns..<(first + count) * columns] {
            switch value {
            case .null: statement.bindNull()
            case .integer(let integer): statement.bindInteger(integer)
            case .bytes(let at, let count, let text):
                statement.bindInPlace(UnsafeRawBufferPointer(start: bytes + at, count: count), text: text)
            }
        }
        let written = try statement.execute()
        statements[slot] = statement
        guard written == count else {
            throw StoreError(
                .failed, "\(count - written) of \(count) new rows of \(table) broke its constraints; the batch was rolled back")
        }
    }
}
