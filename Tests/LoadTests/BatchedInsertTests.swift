import Foundation
import GRDB
import Testing

@testable import Load

@Suite struct BatchedInsertTests {
    /// Every row lands, in order: whole statements of sixteen, and the rest in power-of-two
    /// statements (23 = 16 + 4 + 2 + 1). A long text makes the byte buffer grow midway.
    @Test(arguments: [0, 1, 7, 16, 23, 40])
    func insertsEveryRowInOrder(count: Int) throws {
        let label = { (n: Int) -> String? in
            n % 3 == 0 ? nil : n % 3 == 1 ? "" : "第\(n)行" + (n == 5 ? String(repeating: "长", count: 30_000) : "")
        }
        let rows = try DatabaseQueue().write { db -> [Row] in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, label TEXT, data BLOB)")
            var insert = BatchedInsert(db, into: "t", columns: ["n", "label", "data"])
            for n in 0..<count {
                insert.bind(Int64(n))
                insert.bind(label(n))
                insert.bind(blob: [UInt8(n), 0, 255])
                try insert.endRow()
            }
            try insert.flush()
            #expect(insert.waiting == 0)
            return try Row.fetchAll(db, sql: "SELECT n, label, data FROM t ORDER BY id")
        }
        #expect(rows.count == count)
        for (n, row) in rows.enumerated() {
            #expect(row[0] as Int64 == Int64(n))
            #expect(row[1] as String? == label(n))
            #expect(row[2] as Data == Data([UInt8(n), 0, 255]))
        }
    }

    /// A row is in the table once sixteen have come or the caller flushes, not before.
    @Test func aRowWaitsForAFullStatementOrAFlush() throws {
        try DatabaseQueue().write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER)")
            var insert = BatchedInsert(db, into: "t", columns: ["n"])
            let stored = { try Int.fetchOne(db, sql: "SELECT count(*) FROM t") }
            for n in 1...BatchedInsert.rowsPerStatement + 1 {
                insert.bind(Int64(n))
                try insert.endRow()
                #expect(try stored() == (n < BatchedInsert.rowsPerStatement ? 0 : BatchedInsert.rowsPerStatement))
            }
            try insert.flush()
            #expect(try stored() == BatchedInsert.rowsPerStatement + 1)
        }
    }

    /// The statement ignores a row its table refuses (so that SQLite keeps no statement
    /// journal); the count of rows written catches it, and the batch fails rather than lose it.
    @Test(
        arguments: [
            (("a", "x"), ("a", "y")),  // the same key twice
            (("a", "x"), ("b", nil)),  // NOT NULL
        ] as [((String, String?), (String, String?))])
    func aRefusedRowFailsTheFlush(first: (String, String?), second: (String, String?)) throws {
        try DatabaseQueue().write { db in
            try db.execute(sql: "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
            var insert = BatchedInsert(db, into: "t", columns: ["k", "v"])
            for (key, value) in [first, second] {
                insert.bind(key)
                insert.bind(value)
                try insert.endRow()
            }
            #expect {
                try insert.flush()
            } throws: { error in
                "\(error)".contains("1 of 2 new rows of t broke its constraints")
            }
        }
    }
}
