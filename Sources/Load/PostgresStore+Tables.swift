extension PostgresStore: StoreTables {
    package func rowCounts() throws -> [StoreTable: Int] {
        try reading {
            var counts: [StoreTable: Int] = [:]
            for table in StoreTable.allCases {
                counts[table] = try connection.execute("SELECT count(*) FROM \(table.rawValue)").int(0, 0) ?? 0
            }
            return counts
        }
    }

    package func forEachRow(of table: StoreTable, _ body: ([String?]) throws -> Void) throws {
        let columns = table.columns.map { table.byteColumns.contains($0) ? "encode(\($0), 'hex')" : $0 }
        try reading {
            var values = [String?](repeating: nil, count: columns.count)
            try connection.stream("SELECT \(columns.joined(separator: ", ")) FROM \(table.rawValue) ORDER BY \(table.order)") {
                row in
                for index in values.indices { values[index] = row[0, index] }
                // A REAL as SQLite writes it back: the shortest text that reads as the same number.
                if table == .metrics, let value = values[4].flatMap(Double.init) { values[4] = String(value) }
                try body(values)
            }
        }
    }

    package func replaceTables(from source: any StoreTables) throws {
        try connection.execute("BEGIN")
        do {
            try lock()
            try connection.execute("TRUNCATE \(StoreTable.allCases.map(\.rawValue).joined(separator: ", "))")
            for table in StoreTable.allCases {
                let bytesAt = Set(table.columns.indices.filter { table.byteColumns.contains(table.columns[$0]) })
                let copy = "COPY \(table.rawValue) (\(table.columns.joined(separator: ", "))) FROM STDIN"
                var rows = CopyRows()
                try source.forEachRow(of: table) { values in
                    for (index, value) in values.enumerated() {
                        if bytesAt.contains(index) { rows.add(bytea: value.flatMap(bytes(fromHex:))) } else { rows.add(value) }
                    }
                    rows.endRow()
                    if rows.count >= 10_000 {
                        try connection.copy(copy, rows.bytes)
                        rows.removeAll()
                    }
                }
                if !rows.isEmpty { try connection.copy(copy, rows.bytes) }
                if let identity = table.identity {
                    // The next batch, reject or scan is numbered after the copied ones.
                    try connection.execute(
                        """
                        SELECT setval(pg_get_serial_sequence('\(quoted).\(table.rawValue)', '\(identity)'),
                            coalesce(max(\(identity)), 0) + 1, false) FROM \(table.rawValue)
                        """)
                }
            }
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
