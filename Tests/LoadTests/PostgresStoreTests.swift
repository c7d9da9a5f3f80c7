import Foundation
import PostgresTestServer
import Testing
import Transform

@testable import Load

/// A store in a schema of its own on the test process's PostgreSQL server.
func postgresStore(wait: TimeInterval = 10, schema: String = PostgresTestServer.schema()) throws -> PostgresStore {
    let location = try StoreLocation.parse(try PostgresTestServer.shared().url(schema: schema), relativeTo: "/")
    guard case .postgres(let postgres) = location else { throw StoreError(.unsupported, "not a PostgreSQL URL") }
    return try PostgresStore(postgres, wait: wait, create: true)
}

/// Every export table of a store, header first.
func exports(_ store: any MasterStore) throws -> [ExportTable: [[String]]] {
    var tables: [ExportTable: [[String]]] = [:]
    for table in ExportTable.allCases {
        var lines: [[String]] = []
        try store.export(table) { lines.append($0) }
        tables[table] = lines
    }
    return tables
}

/// The `StoreError` `body` throws; nil when it throws none.
func storeError(_ body: () throws -> Void) -> StoreError? {
    do {
        try body()
        return nil
    } catch {
        return error as? StoreError
    }
}

@Suite struct PostgresStoreTests {
    let taxA = "91440300MA5FXT4K8N"
    let taxB = "91110108MA01ABCD5T"

    /// Batches that exercise every path of a session: creation, survivorship updates, a
    /// duplicate, an unchanged re-run, contacts, landlines, pending links (own and earlier,
    /// ambiguous and unmatched), rejects and metrics.
    private func scenario(_ store: any MasterStore) throws -> [String] {
        var trace: [String] = []
        let crm = [
            customer("crm", "1", mobile: "+8613800138000", taxID: taxA, [.owner: "张强", .name: "王伟", .landline: "+862088886666"]),
            customer("crm", "2", mobile: "+8613700137000", taxID: taxB, [.owner: "李娜", .city: "深圳市"]),
            customer("crm", "3", mobile: "+8613600136000", taxID: taxB, [.status: "active"]),
        ]
        try store.withBatch(batch("b1")) { session in
            let staged = crm.map { MergeEntry.staged(StagedRecord($0, batch: session.batch, rawDigest: 1)) }
            trace.append("\(try session.merge(staged + [staged[0]]))")
            trace.append("\(try session.merge(customer("web", "w1", mobile: "+8613900139000", taxID: nil)))")
            try session.reject(
                RejectRow(
                    system: "crm", file: "crm.csv", locator: "line 5", reason: .noIdentifier, message: "no id", sourceID: "9"))
            trace.append(sorted(try session.resolvePending()))
            try session.recordMetrics([MetricRow(metric: "completeness", value: 0.5, numerator: 1, denominator: 2)])
            try session.finish(summary: "{}")
        }
        var call = customer("calls", "c1", mobile: nil, taxID: nil, [.landline: "+862088886666"])
        var ring = Contact(channel: "400")
        ring.startedAt = Date(timeIntervalSince1970: 1_763_760_000)
        ring.durationSeconds = 42
        call.contact = ring
        var form = customer("web", "w2", mobile: "+8613800138000", taxID: nil, updatedAt: 1_763_900_000, [.name: "王伟伟"])
        form.contact = Contact(channel: "web")
        try store.withBatch(batch("b2")) { session in
            trace.append("\(try session.merge(crm[1]))")
            trace.append(
                "\(try session.merge(customer("erp", "e1", mobile: "+8613800138000", taxID: taxA, updatedAt: 1_763_800_000, [.owner: "赵敏", .city: "广州市"])))"
            )
            trace.append("\(try session.merge(customer("erp", "e2", mobile: nil, taxID: taxB)))")
            trace.append("\(try session.merge(call))")
            trace.append("\(try session.merge(form))")
            trace.append("\(try session.merge(customer("web", "w1", mobile: "+8613900139000", taxID: nil)))")
            trace.append("\(try session.merge(customer("crm", "4", mobile: "+8613900139000", taxID: taxA)))")
            trace.append(sorted(try session.resolvePending()))
            let report = try session.presence(
                [.nonEmpty(column: "owner"), .notNull(column: "district")], bySystem: true, byOwner: true)
            trace.append("\(report.overall)")
            for (system, counts) in report.bySystem.sorted(by: { $0.key < $1.key }) { trace.append("\(system) \(counts)") }
            for (owner, counts) in report.byOwner.sorted(by: { $0.key < $1.key }) { trace.append("\(owner) \(counts)") }
        }
        return trace
    }

    /// A resolution's counts by system, in a stable order.
    private func sorted(_ resolution: PendingResolution) -> String {
        resolution.bySystem.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ")
    }

    @Test func theSameBatchesGiveTheSameOutcomesAndExportsAsSQLite() throws {
        let sqlite = try temporaryStore()
        let postgres = try postgresStore()
        let (expected, traced) = (try scenario(sqlite), try scenario(postgres))
        #expect(traced.count == expected.count)
        for (step, (got, wanted)) in zip(traced, expected).enumerated() { #expect(got == wanted, "step \(step)") }
        let (sqliteTables, postgresTables) = (try exports(sqlite), try exports(postgres))
        for table in ExportTable.allCases {
            #expect(postgresTables[table] == sqliteTables[table], "\(table)")
        }
        #expect(sqliteTables[.master]?.count == 5, "a header and four customers")
        let key = keyer.key(phoneE164: "+8613800138000", taxID: taxA).hex
        #expect(try postgres.history(ofCustomer: key) == sqlite.history(ofCustomer: key))
        #expect(try postgres.history(ofCustomer: key)?.entries.count ?? 0 > 2)
        #expect(try postgres.rejectCounts() == sqlite.rejectCounts())
        #expect(try postgres.recentBatches(5).map(\.metrics) == sqlite.recentBatches(5).map(\.metrics))
        let systems = ["crm", "erp"]
        var (fromSQLite, fromPostgres): ([String], [String]) = ([], [])
        try sqlite.forEachMergedRecord(of: systems) { fromSQLite.append("\($0.customerKey.hex) \($0.record.sourceID)") }
        try postgres.forEachMergedRecord(of: systems) { fromPostgres.append("\($0.customerKey.hex) \($0.record.sourceID)") }
        #expect(fromPostgres == fromSQLite)
    }

    @Test func aBulkLoadDropsTheLookupIndexesTillThePendingPassAndEndsAsSQLite() throws {
        let sqlite = try temporaryStore()
        let postgres = try postgresStore()
        sqlite.bulkLoadMinimum = 2
        postgres.bulkLoadMinimum = 2
        #expect(try scenario(postgres) == scenario(sqlite))
        #expect(try exports(postgres) == exports(sqlite))
        let fresh = try postgresStore()
        fresh.bulkLoadMinimum = 2
        func indexes() throws -> [String] {
            let rows = try fresh.connection.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'customers' ORDER BY 1",
                [fresh.postgres.schema])
            return (0..<rows.rows).compactMap { rows[$0, 0] }
        }
        let before = try indexes()
        try fresh.withBatch(batch()) { session in
            let postgresSession = session as? PostgresBatchSession
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
            #expect(postgresSession?.lookups == .built)
            _ = try session.merge(customer("crm", "2", mobile: "+8613700137000", taxID: taxB))
            #expect(postgresSession?.lookups == .dropped)
            #expect(try session.merge(customer("web", "w1", mobile: "+8613800138000", taxID: nil)) == .pending)
            #expect(try session.resolvePending().bySystem["web"]?.linkedFromBatch == 1)
            #expect(postgresSession?.lookups == .rebuilt)
        }
        #expect(try indexes() == before)
        #expect(before.contains("customers_phone") && before.contains("customers_tax_id"))
    }

    @Test func aBatchThatWritesNoRowSkipsThePendingPassAsInSQLite() throws {
        let store = try postgresStore()
        try expectNoWriteSkipsThePendingPass(store) {
            _ = try store.connection.execute("UPDATE customers SET phone_e164 = '+8613900139000'")
        }
    }

    @Test func scansAreRememberedAsInSQLite() throws {
        let postgres = try postgresStore()
        let sqlite = try temporaryStore()
        for store in [sqlite, postgres] as [any MasterStore] {
            _ = try scenario(store)
            let key = keyer.key(phoneE164: "+8613800138000", taxID: taxA)
            try store.remember(kind: "gaps", scannedAt: "2026-11-01T00:00:00+08:00", items: [(key, ["tax_id"])], followUp: nil)
            try store.remember(
                kind: "gaps", scannedAt: "2026-11-02T00:00:00+08:00", items: [(key, ["address", "status"])],
                followUp: (1, 0, 0))
        }
        #expect(try postgres.lastScan(kind: "gaps")?.items == sqlite.lastScan(kind: "gaps")?.items)
        #expect(try postgres.latestGapScan() == sqlite.latestGapScan())
        let owners = ["张强": (customers: 1, complete: 0)]
        #expect(try postgres.ownerCounts(customers: owners) == sqlite.ownerCounts(customers: owners))
        let key = keyer.key(phoneE164: "+8613800138000", taxID: taxA)
        #expect(
            try postgres.firstFilled(key: key, columns: ["owner"], since: "")
                == sqlite.firstFilled(key: key, columns: ["owner"], since: ""))
    }

    @Test func aFailedBatchLeavesNothingBehind() throws {
        let store = try postgresStore()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.withBatch(batch()) { session in
                _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
                try session.reject(
                    RejectRow(system: "crm", file: "f", locator: "line 2", reason: .malformed, message: "m", sourceID: ""))
                throw Boom()
            }
        }
        for table in ExportTable.allCases { #expect(try rows(store, table).isEmpty, "\(table)") }
        #expect(try store.recentBatches(5).isEmpty)
    }

    @Test func aSecondWriterWaitsThenFailsAsBusy() throws {
        let schema = PostgresTestServer.schema()
        let first = try postgresStore(schema: schema)
        let second = try postgresStore(wait: 0.3, schema: schema)
        try first.withBatch(batch()) { _ in
            let started = Date()
            let error = storeError { try second.withBatch(batch()) { _ in } }
            #expect(error?.code == .busy)
            #expect(error?.message.contains("another crmbridge run is writing to postgresql://") == true)
            #expect(Date().timeIntervalSince(started) >= 0.3, "the second batch gives up only after its wait")
        }
        try second.withBatch(batch()) { _ in }  // the lock went with the first batch's commit
    }

    @Test func migrationsAreRecordedAndANewerStoreIsRefused() throws {
        let schema = PostgresTestServer.schema()
        let store = try postgresStore(schema: schema)
        let applied = try store.connection.execute("SELECT identifier FROM schema_migrations ORDER BY 1")
        #expect((0..<applied.rows).map { applied[$0, 0] } == PostgresStore.migrations.map(\.identifier))
        try store.connection.execute("INSERT INTO schema_migrations (identifier) VALUES ('v99-from-the-future')")
        let error = try #require(storeError { _ = try postgresStore(schema: schema) })
        #expect(error.code == .cannotOpen)
        #expect(error.message.contains("newer crmbridge (its schema has v99-from-the-future)"))
    }

    @Test func readingAStoreThatIsNotThereIsRefusedAndCreatesNothing() throws {
        let url = try PostgresTestServer.shared().url(schema: PostgresTestServer.schema())
        let error = try #require(storeError { _ = try openStore(try StoreLocation.parse(url, relativeTo: "/"), access: .read) })
        #expect(error.message.hasPrefix("no store at postgresql://"))
        let schemas = try postgresStore().connection.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = $1",
            [
                String(url.split(separator: "=").last!)
            ])
        #expect(schemas[0, 0] == "0")
    }

    @Test(arguments: [
        ("postgres://etl:pa:ss@db:5432/crm", "postgres://etl:***@db:5432/crm"),
        ("postgresql://etl@db/crm?password=pw&sslmode=require", "postgresql://etl@db/crm?password=***&sslmode=require"),
        ("postgresql:///crm?host=/var/run/postgresql", "postgresql:///crm?host=/var/run/postgresql"),
    ])
    func passwordsAreMasked(url: String, masked: String) throws {
        #expect(try StoreLocation.parse(url, relativeTo: "/").description == masked)
    }

    @Test func aWrongPasswordFailsWithoutPrintingIt() throws {
        let url = try PostgresTestServer.shared().passwordURL(schema: "crmbridge", password: "not-the-pw")
        let error = try #require(storeError { _ = try openStore(try StoreLocation.parse(url, relativeTo: "/"), access: .write) })
        #expect(error.code == .cannotOpen)
        #expect(error.message.contains("password authentication failed"))
        #expect(!error.message.contains("not-the-pw"))
        #expect(error.message.contains("postgres://crm_etl:***@127.0.0.1"))
    }

    @Test func theRawDigestSnapshotAnswersAsSQLitesDoes() throws {
        let stores: [any MasterStore] = [try temporaryStore(), try postgresStore()]
        for store in stores {
            try store.withBatch(batch("b1")) { session in
                // Ids 0000, 0002 … 1198, and one pending record; the first digest is Int64.min.
                let records =
                    (0..<600).map {
                        customer("crm", String(format: "%04d", $0 * 2), mobile: "+86138\(10_000_000 + $0)", taxID: taxA)
                    }
                    + [customer("crm", "p1", mobile: nil, taxID: nil)]
                _ = try session.merge(
                    records.enumerated().map {
                        .staged(StagedRecord($1, batch: session.batch, rawDigest: $0 == 0 ? .min : Int64($0) - 300))
                    })
                try session.finish(summary: "{}")
            }
        }
        var answers: [[String]] = []
        for store in stores {
            var answer: [String] = []
            try store.withBatch(batch("b2")) { session in
                #expect(try session.rawDigestSnapshot(system: "web") == nil, "no row of the system")
                // Written by the running batch: not in the snapshot, which is the last batch's store.
                _ = try session.merge(customer("crm", "9999", mobile: "+8613999999999", taxID: taxA))
                let snapshot = try #require(try session.rawDigestSnapshot(system: "crm"))
                defer { snapshot.close() }
                // In order (blocks of growing size), then behind, then past the end.
                let ids = (0..<1_300).map { String(format: "%04d", $0) } + ["0500", "0000", "0100", "p1", "9999", "zzz", "0"]
                for id in ids {
                    answer.append("\(id) \(snapshot.stored(id).map { "\($0.rawDigest) \($0.pending)" } ?? "-")")
                }
            }
            answers.append(answer)
        }
        #expect(answers[1] == answers[0])
        #expect(answers[0].contains("0000 \(Int64.min) false"))
        #expect(answers[0].contains("1198 299 false"))
        #expect(answers[0].contains("p1 300 true"))
        #expect(answers[0].contains("9999 -"))
    }

    /// A snapshot taken before another batch committed (a runner reading ahead while it waited
    /// for the lock) is not current: the rows it found unchanged are looked up again.
    @Test func aSnapshotFromBeforeAnotherBatchIsNotCurrentAndItsRowsAreLookedUpAgain() throws {
        let store = try postgresStore()
        let one = customer("crm", "1", mobile: "+8613800138000", taxID: taxA, [.owner: "张强"])
        let other = customer("crm", "1", mobile: "+8613800138000", taxID: taxA, updatedAt: 1_763_800_000, [.owner: "李娜"])
        try store.withBatch(batch()) { session in
            _ = try session.merge([.staged(StagedRecord(one, batch: session.batch, rawDigest: 41))])
        }
        let early = try store.withBatch(batch()) { session -> RawDigestSnapshot in
            let snapshot = try #require(try session.rawDigestSnapshot(system: "crm"))
            #expect(session.isCurrent(snapshot))
            _ = try session.merge([.staged(StagedRecord(other, batch: session.batch, rawDigest: 42))])
            return snapshot
        }
        defer { early.close() }
        try store.withBatch(batch()) { session in
            #expect(!session.isCurrent(early))
            #expect(early.stored("1")?.rawDigest == 41, "it still sees the first batch")
            let fresh = try #require(try session.rawDigestSnapshot(system: "crm"))
            defer { fresh.close() }
            #expect(session.isCurrent(fresh))
            let found = UnchangedRow(system: "crm", sourceID: "1", rawDigest: 41, pending: false, current: false)
            #expect(try session.merge([.unchanged(found)]) == .stale(at: 0, before: []))
            let stored = UnchangedRow(system: "crm", sourceID: "1", rawDigest: 42, pending: false, current: false)
            #expect(try session.merge([.unchanged(stored)]) == .merged([.unchanged(pending: false)]))
        }
    }

    @Test func copyRowsEscapeWhatTheFormatReserves() {
        var rows = CopyRows()
        rows.add("a\tb\\c\nd\re")
        rows.add(nil as String?)
        rows.add(bytea: [0, 255])
        rows.endRow()
        #expect(String(decoding: rows.bytes, as: UTF8.self) == "a\\tb\\\\c\\nd\\re\t\\N\t\\\\x00ff\n")
        #expect(arrayLiteral(["a\"b", "c\\d", "客户"]) == #"{"a\"b","c\\d","客户"}"#)
    }
}
