import Foundation
import GRDB
import Testing

@testable import Load

/// Migrations are frozen: the schema each one leaves is pinned in `schema-history.sql`, and a
/// store holding rows at any version migrates to the last with its rows. An edit to an old
/// migration fails here; a schema change is a new migration (then refresh the history with
/// `CRMBRIDGE_UPDATE_SCHEMA_HISTORY=1 swift test --filter MigrationTests` and review its diff).
@Suite struct MigrationTests {
    static let history = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("schema-history.sql")

    /// The schema as SQLite keeps it, one statement a line, in a stable order.
    static func schema(_ db: Database) throws -> String {
        try String.fetchAll(
            db,
            sql: """
                SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'grdb_%' ORDER BY type, name
                """
        ).joined(separator: ";\n") + ";"
    }

    @Test func everyVersionLeavesTheSchemaItAlwaysLeft() throws {
        var text = ""
        for identifier in SQLiteStore.migrator.migrations {
            let queue = try DatabaseQueue()
            try SQLiteStore.migrator.migrate(queue, upTo: identifier)
            text += "-- after \(identifier)\n" + (try queue.read(Self.schema)) + "\n\n"
        }
        if ProcessInfo.processInfo.environment["CRMBRIDGE_UPDATE_SCHEMA_HISTORY"] == "1" {
            try text.write(to: Self.history, atomically: true, encoding: .utf8)
        }
        let pinned = try String(contentsOf: Self.history, encoding: .utf8)
        #expect(text == pinned, "a migration's SQL changed: add a new migration instead (see this suite's comment)")
    }

    @Test(arguments: SQLiteStore.migrator.migrations)
    func aStoreWithRowsAtThisVersionMigratesToTheLast(version: String) throws {
        let queue = try DatabaseQueue()
        try SQLiteStore.migrator.migrate(queue, upTo: version)
        let counts = try queue.write { db in
            try Self.fillEveryTable(db)
            return try Self.rowCounts(db)
        }
        try SQLiteStore.migrator.migrate(queue)
        let after = try queue.read(Self.rowCounts)
        // presence_groups is derived from customers when it is created.
        #expect(after.filter { counts[$0.key] != nil } == counts)
        #expect(try queue.read { try SQLiteStore.migrator.hasCompletedMigrations($0) })
    }

    @Test func aStoreANewerCrmbridgeWroteIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try queue.close()
        for readOnly in [false, true] {
            #expect {
                _ = try SQLiteStore(path: path, readOnly: readOnly)
            } throws: { error in
                let error = error as? StoreError
                return error?.code == .cannotOpen && error?.message.contains("written by a newer crmbridge") == true
                    && error?.message.contains("v99-from-the-future") == true
            }
        }
    }

    /// One row in each table, every NOT NULL column given a value of its type.
    static func fillEveryTable(_ db: Database) throws {
        for table in try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'sqlite_%'
                """)
        {
            let columns = try db.columns(in: table)
            let values: [String] = columns.map { column in
                if column.name == "state" { return "'merged'" }
                switch column.type.uppercased() {
                case "INTEGER": return "1"
                case "BLOB": return "x'00'"
                case "REAL": return "0.5"
                default: return "'x'"
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))
                    """)
        }
    }

    static func rowCounts(_ db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'sqlite_%'
                """)
        {
            counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")
        }
        return counts
    }
}
