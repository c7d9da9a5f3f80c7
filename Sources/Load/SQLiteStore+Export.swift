import Foundation
import GRDB
import Transform

extension SQLiteStore {
    package func export(_ table: ExportTable, _ row: ([String]) throws -> Void) throws {
        let (columns, sql) = Self.exportQuery(table)
        try row(columns)
        try queue.read { db in
            let cursor = try Row.fetchCursor(db, sql: sql)
            var values = [String](repeating: "", count: columns.count)
            while let next = try cursor.next() {
                for index in columns.indices {
                    switch (next[index] as DatabaseValue).storage {
                    case .null: values[index] = ""
                    // The one BLOB an export selects is a customer key.
                    case .blob(let data): values[index] = CustomerKey(bytes: data)?.hex ?? ""
                    case .string(let text): values[index] = text
                    case .int64(let number): values[index] = String(number)
                    case .double(let number): values[index] = String(number)
                    }
                }
                try row(values)
            }
        }
    }

    package func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws {
        try queue.read { db in try Self.forEachCustomer(in: db, body) }
    }

    static func forEachCustomer(in db: Database, _ body: (CustomerRow) throws -> Void) throws {
        let columns = MasterColumn.allCases.map(\.name).joined(separator: ", ")
        let cursor = try Row.fetchCursor(db, sql: "SELECT customer_key, phone_e164, tax_id, \(columns) FROM customers")
        var values = [String?](repeating: nil, count: MasterColumn.allCases.count)
        while let row = try cursor.next() {
            for index in values.indices { values[index] = row[index + 3] }
            guard let key = try row.withUnsafeData(atIndex: 0, { $0.flatMap { CustomerKey(bytes: $0) } }) else {
                throw StoreError(.failed, "the store holds a customer key that is not 32 bytes: it is damaged")
            }
            try body(CustomerRow(key: key, phoneE164: row[1], taxID: row[2], values: values))
        }
    }

    private static func exportQuery(_ table: ExportTable) -> ([String], String) {
        switch table {
        case .master:
            let columns = table.contractColumns + ["industry", "landline_e164", "created_at", "notes"]
            return (columns, "SELECT \(columns.joined(separator: ", ")) FROM customers ORDER BY customer_key")
        case .xref:
            return (
                table.contractColumns + ["link", "updated_at"],
                """
                SELECT x.source_system, x.source_id, x.customer_key, x.state, b.batch_id, x.link, x.updated_at
                FROM xref x JOIN batches b ON b.id = x.batch ORDER BY x.source_system, x.source_id
                """
            )
        case .rejects:
            return (
                table.contractColumns + ["source_id", "owner"],
                """
                SELECT b.batch_id, r.source_system, r.source_file, r.locator, r.reason_code, r.reason, r.source_id, r.owner
                FROM rejects r JOIN batches b ON b.id = r.batch ORDER BY r.id
                """
            )
        case .interactions:
            return (
                table.contractColumns,
                """
                SELECT i.source_system, i.source_id, x.customer_key, x.state, i.channel, i.started_at, i.phone_e164,
                    i.agent, i.duration_s, i.outcome, i.called, b.batch_id
                FROM interactions i JOIN xref x USING (source_system, source_id) JOIN batches b ON b.id = i.batch
                ORDER BY i.source_system, i.source_id
                """
            )
        }
    }
}
