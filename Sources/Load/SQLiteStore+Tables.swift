import Foundation
import GRDB

extension SQLiteStore: StoreTables {
    package func rowCounts() throws -> [StoreTable: Int] {
        try queue.read { db in
            var counts: [StoreTable: Int] = [:]
            for table in StoreTable.allCases {
                counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.rawValue)") ?? 0
            }
            return counts
        }
    }

    package func forEachRow(of table: StoreTable, _ body: ([String?]) throws -> Void) throws {
        try queue.read { db in
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) ORDER BY \(table.order)")
            var values = [String?](repeating: nil, count: table.columns.count)
            while let row = try cursor.next() {
                for index in values.indices {
                    switch (row[index] as DatabaseValue).storage {
                    case .null: values[index] = nil
                    case .blob(let data): values[index] = hexText(data)
                    case .string(let text): values[index] = text
                    case .int64(let number): values[index] = String(number)
                    case .double(let number): values[index] = String(number)
                    }
                }
                try body(values)
            }
        }
    }

    package func replaceTables(from source: any StoreTables) throws {
        try queue.inTransaction(.immediate) { db in
            for table in StoreTable.allCases.reversed() { try db.execute(sql: "DELETE FROM \(table.rawValue)") }
            for table in StoreTable.allCases {
                let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                let insert = try db.makeStatement(
                    sql: "INSERT INTO \(table.rawValue) (\(table.columns.joined(separator: ", "))) VALUES (\(marks))")
                let bytesAt = Set(table.columns.indices.filter { table.byteColumns.contains(table.columns[$0]) })
                try source.forEachRow(of: table) { values in
                    // Column affinity turns the decimal texts back into numbers; bytes go in as blobs.
                    let arguments = values.enumerated().map { index, value -> (any DatabaseValueConvertible)? in
                        guard let value else { return nil }
                        return bytesAt.contains(index) ? bytes(fromHex: value).map { Data($0) } : value
                    }
                    try insert.execute(arguments: StatementArguments(arguments))
                }
            }
            return .commit
        }
    }
}
