import Foundation
import GRDB
import Testing
import Transform

@testable import Load

let keyer = CustomerKeyer(secret: Array("test-secret".utf8))
let shanghai = TimeZone(identifier: "Asia/Shanghai")!

func temporaryStore() throws -> SQLiteStore {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID().uuidString).sqlite").path
    return try SQLiteStore(path: path)
}

func batch(_ id: String = UUID().uuidString) -> BatchInfo {
    BatchInfo(
        id: id, pipeline: "test", startedAt: Date(), asOf: Date(timeIntervalSince1970: 1_763_751_600),
        survivorship: Survivorship(), timestamps: TimestampParser(timeZone: shanghai))
}

func customer(
    _ system: String, _ id: String, mobile: String?, taxID: String?, updatedAt: TimeInterval = 1_763_700_000,
    _ values: [MasterColumn: String] = [:]
) -> CanonicalRecord {
    var record = record(system, id, updatedAt: updatedAt, values)
    record.mobile = mobile
    record.taxID = taxID
    if let mobile, let taxID { record.key = keyer.key(phoneE164: mobile, taxID: taxID) }
    return record
}

func rows(_ store: any MasterStore, _ table: ExportTable) throws -> [[String: String]] {
    var header: [String]?
    var result: [[String: String]] = []
    try store.export(table) { row in
        if let header { result.append(Dictionary(uniqueKeysWithValues: zip(header, row))) } else { header = row }
    }
    return result
}

@Suite struct SQLiteStoreTests {
    let taxA = "91440300MA5FXT4K8N"
    let taxB = "91110108MA01ABCD5T"

    @Test func aNewStoreGetsItsFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID().uuidString)/out")
        let store = try SQLiteStore(path: folder.appendingPathComponent("master.sqlite").path)
        #expect(FileManager.default.fileExists(atPath: folder.path))
        try store.withBatch(batch()) { _ in }  // the store itself is made by its first batch
        #expect(FileManager.default.fileExists(atPath: store.path))
        // Reading never creates anything.
        #expect(throws: StoreError.self) {
            try SQLiteStore(path: folder.appendingPathComponent("none/x.sqlite").path, readOnly: true)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none").path))
    }

    @Test func keyedRecordsCreateThenUpdateOneCustomer() throws {
        let store = try temporaryStore()
        let outcomes = try store.withBatch(batch()) { session in
            [
                try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA, [.owner: "张强"])),
                try session.merge(
                    customer(
                        "erp", "E1", mobile: "+8613800138000", taxID: taxA, updatedAt: 1_763_800_000,
                        [.owner: "李娜"])),
            ]
        }
        #expect(outcomes == [.created, .updated(changes: 1)])
        let master = try rows(store, .master)
        #expect(master.count == 1)
        #expect(master[0]["owner"] == "李娜")
        #expect(master[0]["customer_key"] == keyer.key(phoneE164: "+8613800138000", taxID: taxA).hex)
        #expect(Array(master[0].keys).count >= ExportTable.master.contractColumns.count)
        let xref = try rows(store, .xref)
        #expect(xref.map { $0["state"] } == ["merged", "merged"])
    }

    @Test func aBatchThatMostlyUpdatesLooksKeysUpFirstAndStillCreates() throws {
        let store = try temporaryStore()
        let phones = ["+8613800138000", "+8613900139000", "+8613700137000"]
        _ = try store.withBatch(batch()) { session in
            try phones.prefix(2).map { try session.merge(customer("crm", $0, mobile: $0, taxID: taxA, [.owner: "张强"])) }
        }
        // The first update finds its key by a failed insert, the next ones by a look-up; the new
        // key after them is looked up, not found, and inserted.
        let outcomes = try store.withBatch(batch()) { session in
            try phones.map {
                try session.merge(
                    customer(
                        "crm", $0, mobile: $0, taxID: taxA, updatedAt: 1_763_800_000,
                        [.owner: "李娜"]))
            }
        }
        #expect(outcomes == [.updated(changes: 1), .updated(changes: 1), .created])
        #expect(try rows(store, .master).map { $0["owner"] } == ["李娜", "李娜", "李娜"])
    }

    @Test func aChunkMergesCustomersByKeyButTheSourceRowAsTheFileHasIt() throws {
        // The same CRM row twice in one chunk, its mobile changed in between: the later one is the
        // row's state, whichever key sorts first (customers are merged in key order).
        var records = [
            customer("crm", "1", mobile: "+8613800138000", taxID: taxA, [.owner: "张强"]),
            customer("crm", "1", mobile: "+8613900139000", taxID: taxA, [.owner: "李娜"]),
        ]
        if records[0].key! < records[1].key! { records[0].mobile = "+8613900139000"; records[1].mobile = "+8613800138000" }
        records = records.map { customer("crm", "1", mobile: $0.mobile, taxID: taxA, [.owner: $0[.owner]!]) }
        #expect(records[1].key! < records[0].key!)
        let store = try temporaryStore()
        let outcomes = try store.withBatch(batch()) { session in
            try session.merge(records.map { .staged(StagedRecord($0, batch: session.batch)) })
        }
        #expect(outcomes == .merged([.created, .created]))
        let xref = try rows(store, .xref)
        #expect(xref.map { $0["customer_key"] } == [records[1].key!.hex])
        #expect(Set(try rows(store, .master).map { $0["owner"] }) == ["张强", "李娜"])
    }

    @Test func theSameRecordTwiceInABatchIsADuplicateAndAcrossBatchesUnchanged() throws {
        let store = try temporaryStore()
        let one = customer("crm", "1", mobile: "+8613800138000", taxID: taxA)
        let first = try store.withBatch(batch()) { session in [try session.merge(one), try session.merge(one)] }
        #expect(first == [.created, .duplicate])
        let second = try store.withBatch(batch()) { session in try session.merge(one) }
        #expect(second == .unchanged(pending: false))
    }

    @Test func anUnchangedRowIsConfirmedAgainstTheBatchsOwnWrites() throws {
        let store = try temporaryStore()
        let one = customer("crm", "1", mobile: "+8613800138000", taxID: taxA, [.owner: "张强"])
        let other = customer("crm", "1", mobile: "+8613800138000", taxID: taxA, updatedAt: 1_763_800_000, [.owner: "李娜"])
        let row = UnchangedRow(system: "crm", sourceID: "1", rawDigest: 41, pending: false)
        try store.withBatch(batch()) { session in
            let empty = try session.rawDigestSnapshot(system: "crm")
            #expect(empty == nil)
            _ = try session.merge([.staged(StagedRecord(one, batch: session.batch, rawDigest: 41))])
            // The batch's own write is not part of the snapshot of the last committed batch.
            let uncommitted = try session.rawDigestSnapshot(system: "crm")
            #expect(uncommitted == nil)
        }
        try store.withBatch(batch()) { session in
            let snapshot = try #require(try session.rawDigestSnapshot(system: "crm"))
            #expect(snapshot.stored("1")?.rawDigest == 41)
            #expect(snapshot.stored("2") == nil)
            // A repeat of a row found unchanged is a duplicate, as a repeat of a row written is.
            let again = try session.merge([.unchanged(row), .unchanged(row)])
            #expect(again == .merged([.unchanged(pending: false), .duplicate]))
            // Rewritten by this batch since: the merge stops there, for the caller to normalize the row.
            let outcomes = try session.merge([
                .staged(StagedRecord(other, batch: session.batch, rawDigest: 42)),
                .unchanged(row), .unchanged(row),
            ])
            #expect(outcomes == .stale(at: 1, before: [.updated(changes: 1)]))
            #expect(snapshot.stored("1")?.rawDigest == 41)
            snapshot.close()
            let repeated = try session.merge([
                .unchanged(UnchangedRow(system: "crm", sourceID: "1", rawDigest: 42, pending: false))
            ])
            #expect(repeated == .merged([.duplicate]))
        }
        #expect(try rows(store, .master).map { $0["owner"] } == ["李娜"])
    }

    @Test func anUnchangedPendingRowKeepsItsStateAndLinksAsThisBatchs() throws {
        let store = try temporaryStore()
        let waiting = customer("erp", "E1", mobile: "+8613800138000", taxID: nil)
        try store.withBatch(batch()) { session in
            _ = try session.merge([.staged(StagedRecord(waiting, batch: session.batch, rawDigest: 5))])
            _ = try session.resolvePending()
        }
        let resolution = try store.withBatch(batch()) { session in
            let stored = try session.rawDigestSnapshot(system: "erp")?.stored("E1")
            #expect(stored?.rawDigest == 5 && stored?.pending == true)
            let row = UnchangedRow(system: "erp", sourceID: "E1", rawDigest: 5, pending: stored?.pending ?? false)
            let outcomes = try session.merge([.unchanged(row)])
            #expect(outcomes == .merged([.unchanged(pending: true)]))
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
            return try session.resolvePending()
        }
        #expect(resolution.bySystem["erp"]?.linkedFromBatch == 1)
        #expect(resolution.bySystem["erp"]?.linkedFromEarlier == 0)
    }

    @Test func aBatchThatWritesNoRowSkipsThePendingPass() throws {
        let store = try temporaryStore()
        try expectNoWriteSkipsThePendingPass(store) {
            try store.queue.write { try $0.execute(sql: "UPDATE customers SET phone_e164 = '+8613900139000'") }
        }
    }

    @Test func theSnapshotWalksItsScanAndStillFindsEveryIDInAnyOrder() throws {
        let store = try temporaryStore()
        // Ids whose byte order differs from their character order and from their length order.
        let stored = (0..<600).filter { $0 % 3 != 1 }.map { "ID\($0)" } + ["客户9", "客户10", "Z", "", "a b"]
        try store.withBatch(batch()) { session in
            for (number, id) in stored.enumerated() {
                let record = customer("crm", id, mobile: nil, taxID: taxA)
                _ = try session.merge([.staged(StagedRecord(record, batch: session.batch, rawDigest: Int64(number)))])
            }
        }
        let expected = Dictionary(uniqueKeysWithValues: stored.enumerated().map { ($1, Int64($0)) })
        let everything = (0..<620).map { "ID\($0)" } + ["客户9", "客户10", "客户1", "Z", "ZZ", "", "a b", "0"]
        var random = SystemRandomNumberGenerator()
        let sorted = everything.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // In order, each id twice, and each id again after its successor (a step back behind the scan).
        let twice = sorted.flatMap { [$0, $0] }
        let backAndForth = sorted.indices.dropLast().flatMap { [sorted[$0 + 1], sorted[$0]] }
        let orders = [
            everything, sorted, twice, backAndForth, everything.reversed(), everything.shuffled(using: &random),
            everything + everything,
        ]
        try store.withBatch(batch()) { session in
            for order in orders {
                let snapshot = try #require(try session.rawDigestSnapshot(system: "crm"))
                for id in order {
                    #expect(snapshot.stored(id)?.rawDigest == expected[id], "\(id)")
                }
            }
        }
    }

    @Test func writtenRowsAreNeverMissedAndRarelyImagined() {
        var written = WrittenRows()
        for number in 0..<200_000 { written.insert("crm", "KH\(number)") }
        #expect((0..<200_000).allSatisfy { written.mayContain("crm", "KH\($0)") })
        let imagined = (200_000..<300_000).filter { written.mayContain("crm", "KH\($0)") }.count
        #expect(imagined < 100)  // 0.1%; about 0.01% expected at this fill, in blocks of 512 bits
    }

    @Test func theSameValuesFromOtherCellsRefreshTheRawDigest() throws {
        let store = try temporaryStore()
        let one = customer("crm", "1", mobile: "+8613800138000", taxID: taxA)
        try store.withBatch(batch()) { session in _ = try session.merge([.staged(StagedRecord(one, batch: session.batch))]) }
        // Stored before raw digests (or by a build whose normalizers differ): no snapshot entry yet.
        try store.withBatch(batch()) { session in
            let none = try session.rawDigestSnapshot(system: "crm")
            #expect(none?.stored("1") == nil)
            let outcomes = try session.merge([.staged(StagedRecord(one, batch: session.batch, rawDigest: 7))])
            #expect(outcomes == .merged([.unchanged(pending: false)]))
        }
        try store.withBatch(batch()) { session in
            let snapshot = try session.rawDigestSnapshot(system: "crm")
            #expect(snapshot?.stored("1")?.rawDigest == 7)
        }
    }

    @Test func aBulkLoadRebuildsTheLookupIndexesAndStillLinksPendingRecords() throws {
        let store = try temporaryStore()
        store.bulkLoadMinimum = 3
        func indexes() throws -> Set<String> {
            try store.queue.read { try Set(String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")) }
        }
        let before = try indexes()
        let outcomes = try store.withBatch(batch()) { session in
            var outcomes: [MergeOutcome] = []
            for number in 0..<6 {
                var record = customer("crm", "\(number)", mobile: "+861380013800\(number)", taxID: taxA)
                record[.landline] = "+86755888866\(number)"
                outcomes.append(try session.merge(record))
            }
            #expect((session as? SQLiteBatchSession)?.lookupsDeferred == true)
            outcomes.append(try session.merge(customer("erp", "E1", mobile: "+8613800138005", taxID: nil)))
            outcomes.append(try session.merge(customer("erp", "E2", mobile: nil, taxID: taxB)))
            var call = record("calls", "C1", updatedAt: nil, [.landline: "+867558888662"])
            call.contactOnly = true
            outcomes.append(try session.merge(call))
            let resolution = try session.resolvePending()
            #expect(resolution.bySystem["erp"]?.linkedFromBatch == 1)
            #expect(resolution.bySystem["erp"]?.unmatched == 1)
            #expect(resolution.bySystem["calls"]?.linkedFromBatch == 1)
            return outcomes
        }
        #expect(outcomes == Array(repeating: .created, count: 6) + [.pending, .pending, .pending])
        #expect(try indexes() == before)
        let xref = try rows(store, .xref)
        #expect(
            xref.first { $0["source_id"] == "E1" }?["customer_key"] == keyer.key(phoneE164: "+8613800138005", taxID: taxA).hex)
        #expect(
            xref.first { $0["source_id"] == "C1" }?["customer_key"] == keyer.key(phoneE164: "+8613800138002", taxID: taxA).hex)
    }

    @Test func pendingRecordsLinkWhenTheMatchIsUnique() throws {
        let store = try temporaryStore()
        let resolution = try store.withBatch(batch()) { session -> PendingResolution in
            #expect(try session.merge(customer("web", "w1", mobile: "+8613800138000", taxID: nil)) == .pending)
            #expect(try session.merge(customer("web", "w2", mobile: "+8613900139000", taxID: nil)) == .pending)
            #expect(try session.merge(customer("erp", "e1", mobile: nil, taxID: taxB)) == .pending)
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
            _ = try session.merge(customer("crm", "2", mobile: "+8613700137000", taxID: taxB))
            _ = try session.merge(customer("crm", "3", mobile: "+8613600136000", taxID: taxB))
            return try session.resolvePending()
        }
        #expect(resolution.bySystem["web"]?.linkedFromBatch == 1)
        #expect(resolution.bySystem["web"]?.unmatched == 1)
        #expect(resolution.bySystem["erp"]?.ambiguous == 1, "taxB names two customers")
        let xref = Dictionary(uniqueKeysWithValues: try rows(store, .xref).map { ($0["source_id"]!, $0) })
        #expect(xref["w1"]?["state"] == "merged")
        #expect(xref["w1"]?["customer_key"] == xref["1"]?["customer_key"])
        #expect(xref["w2"]?["state"] == "pending")
        #expect(xref["w2"]?["customer_key"] == "")
        #expect(xref["e1"]?["link"] == "ambiguous_tax_id")
    }

    /// The pass merges a page's linked records by customer row, not in xref order: records of one
    /// customer must still arrive in their xref order (here the first one without `updated_at`
    /// fills the empty owner, and the second cannot replace it).
    @Test func recordsLinkedToOneCustomerMergeInTheirOrder() throws {
        let store = try temporaryStore()
        try store.withBatch(batch()) { session in
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
            _ = try session.merge(customer("crm", "2", mobile: "+8613700137000", taxID: taxB))
            var first = customer("web", "w1", mobile: "+8613700137000", taxID: nil, [.owner: "甲"])
            first.updatedAt = nil
            var other = customer("web", "w2", mobile: "+8613800138000", taxID: nil, [.owner: "乙"])
            other.updatedAt = nil
            var second = customer("web", "w3", mobile: "+8613700137000", taxID: nil, [.owner: "丙"])
            second.updatedAt = nil
            for record in [first, other, second] { #expect(try session.merge(record) == .pending) }
            let resolution = try session.resolvePending()
            #expect(resolution.bySystem["web"]?.linkedFromBatch == 3)
        }
        let master = Dictionary(uniqueKeysWithValues: try rows(store, .master).map { ($0["phone_e164"]!, $0) })
        #expect(master["+8613700137000"]?["owner"] == "甲")
        #expect(master["+8613800138000"]?["owner"] == "乙")
    }

    /// The pass merges by customer once every record is linked: records of several systems that
    /// name one customer are merged in their xref order (web before wechat), a contact linked by
    /// landline after them, and the change log lists each record's changes in that order.
    @Test func recordsOfSeveralSystemsMergeIntoOneCustomerInXrefOrder() throws {
        let store = try temporaryStore()
        let key = keyer.key(phoneE164: "+8613800138000", taxID: taxA)
        try store.withBatch(batch()) { session in
            _ = try session.merge(
                customer(
                    "crm", "1", mobile: "+8613800138000", taxID: taxA, updatedAt: 1_763_700_000,
                    [.status: "新客户", .landline: "+867558888660"]))
            let later = customer("wechat", "x1", mobile: "+8613800138000", taxID: nil, updatedAt: 1_763_700_200, [.status: "成交"])
            let earlier = customer("web", "w1", mobile: "+8613800138000", taxID: nil, updatedAt: 1_763_700_100, [.status: "意向"])
            var call = record("calls", "c1", updatedAt: nil, [.landline: "+867558888660"])
            call.contactOnly = true
            for record in [later, earlier, call] { #expect(try session.merge(record) == .pending) }
            let resolution = try session.resolvePending()
            #expect(resolution.bySystem.mapValues(\.linkedFromBatch) == ["web": 1, "wechat": 1, "calls": 1])
        }
        let master = try rows(store, .master)
        #expect(master.count == 1)
        #expect(master.first?["status"] == "成交")
        let statusChanges = try store.queue.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT old_value, new_value, source_id FROM change_log WHERE customer_key = ? AND field = 'status' ORDER BY id",
                arguments: [Data(key.bytes)])
        }
        #expect(
            statusChanges.map { [$0[0] as String?, $0[1] as String?, $0[2] as String?] } == [
                ["新客户", "意向", "w1"], ["意向", "成交", "x1"],
            ])
        let xref = Dictionary(uniqueKeysWithValues: try rows(store, .xref).map { ($0["source_id"]!, $0) })
        #expect(xref["c1"]?["link"] == "landline")
        #expect(xref["c1"]?["customer_key"] == key.hex)
    }

    /// The merge step runs in batches of customers on a thread of its own (`LinkedMerger`):
    /// hundreds of customers, several batches in flight, each customer's records still in
    /// cross-reference order and every change logged once.
    @Test func manyCustomersMergeTheirLinkedRecordsEachInXrefOrder() throws {
        let store = try temporaryStore()
        let mobiles = (0..<300).map { "+861380013\(String(format: "%04d", $0))" }
        try store.withBatch(batch()) { session in
            for (index, mobile) in mobiles.enumerated() {
                _ = try session.merge(
                    customer("crm", "K\(index)", mobile: mobile, taxID: taxA, updatedAt: 1_763_700_000, [.status: "新客户"]))
            }
            for (index, mobile) in mobiles.enumerated() {
                let later = customer("wechat", "x\(index)", mobile: mobile, taxID: nil, updatedAt: 1_763_700_200, [.status: "成交"])
                let earlier = customer("web", "w\(index)", mobile: mobile, taxID: nil, updatedAt: 1_763_700_100, [.status: "意向"])
                for record in [later, earlier] { #expect(try session.merge(record) == .pending) }
            }
            let resolution = try session.resolvePending()
            #expect(resolution.bySystem.mapValues(\.linkedFromBatch) == ["web": 300, "wechat": 300])
        }
        let master = try rows(store, .master)
        #expect(master.count == 300)
        #expect(master.allSatisfy { $0["status"] == "成交" })
        let changes = try store.queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT old_value, new_value, source_id FROM change_log WHERE field = 'status' ORDER BY id")
        }
        #expect(changes.count == 600)
        // Per customer, web's record before wechat's (xref order), whatever the batches.
        let bySource = Dictionary(uniqueKeysWithValues: changes.map { ($0[2] as String, [$0[0] as String?, $0[1] as String?]) })
        #expect((0..<300).allSatisfy { bySource["w\($0)"] == ["新客户", "意向"] && bySource["x\($0)"] == ["意向", "成交"] })
    }

    @Test func aFailedBatchLeavesNothingBehind() throws {
        let store = try temporaryStore()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.withBatch(batch()) { session in
                _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
                throw Boom()
            }
        }
        #expect(try rows(store, .master).isEmpty)
        #expect(try rows(store, .xref).isEmpty)
    }

    @Test func aSecondWriterWaitsThenFailsAsBusy() throws {
        let first = try temporaryStore()
        try first.withBatch(batch()) { _ in }  // a store that exists: its batches take SQLite's write lock
        let second = try SQLiteStore(path: first.path, busyTimeout: 0.3)
        try first.withBatch(batch()) { _ in
            let started = Date()
            do {
                try second.withBatch(batch()) { _ in }
                Issue.record("the second batch should not get the write lock")
            } catch let error as StoreError {
                #expect(error.code == .busy)
                #expect(error.message.contains("another crmbridge run is writing to"))
            }
            #expect(Date().timeIntervalSince(started) >= 0.3, "the second batch gives up only after its wait")
        }
    }

    @Test func fieldChangesAreLoggedWithTheirBatch() throws {
        let store = try temporaryStore()
        try store.withBatch(batch("b1")) { session in
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA, [.owner: "张强"]))
        }
        try store.withBatch(batch("b2")) { session in
            _ = try session.merge(
                customer(
                    "crm", "1", mobile: "+8613800138000", taxID: taxA, updatedAt: 1_763_800_000,
                    [.owner: "李娜"]))
        }
        let (log, created) = try store.queue.read { db in
            (
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT b.batch_id, c.field, c.old_value, c.new_value, c.source_id
                        FROM change_log c JOIN batches b ON b.id = c.batch ORDER BY c.id
                        """),
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT b.batch_id, c.created_system, c.created_source_id
                        FROM customers c JOIN batches b ON b.id = c.created_batch
                        """)!
            )
        }
        #expect(log.count == 1, "a creation is no change")
        #expect(log[0]["batch_id"] as String == "b2")
        #expect(log[0]["field"] as String == "owner")
        #expect(log[0]["old_value"] as String == "张强")
        #expect(log[0]["new_value"] as String == "李娜")
        #expect(created["batch_id"] as String == "b1")
        #expect(created["created_source_id"] as String == "1")
    }

    @Test func aCustomerMadeFromOneRecordStoresOneProvenanceEntry() {
        var master = MasterValues()
        _ = Survivorship().merge(record("crm", "1", updatedAt: 100, [.owner: "张强", .industry: "教育"]), into: &master)
        #expect(master.encodedProvenance.count == 9)
        _ = Survivorship().merge(record("erp", "2", updatedAt: 200, [.owner: "李娜"]), into: &master)
        #expect(master.encodedProvenance.count == 9 * SurvivingField.all.count)
        let decoded = Provenance.decode(master.encodedProvenance, count: SurvivingField.all.count)
        #expect(decoded == master.provenance)
    }

    @Test(arguments: [
        ("sqlite:out/a.sqlite", "/base/out/a.sqlite"),
        ("sqlite:///tmp/a.sqlite", "/tmp/a.sqlite"),
        ("/tmp/b.sqlite", "/tmp/b.sqlite"),
        ("sqlite:a.sqlite", "/base/a.sqlite"),
    ])
    func parsesStoreURLs(url: String, path: String) throws {
        #expect(try StoreLocation.parse(url, relativeTo: "/base") == .sqlite(path: path))
    }
}

@Suite struct ExportWriterTests {
    @Test(arguments: [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+8613800138000", "+8613800138000"),
        ("-12.5", "-12.5"),
        ("@cmd", "'@cmd"),
        ("-abc", "'-abc"),
        ("张伟", "张伟"),
    ])
    func guardsFormulasOnly(cell: String, expected: String) {
        #expect(guardFormula(cell) == expected)
    }
}

/// The pass trusts the last batch's: with no row written since, no waiting record can link. A
/// hand edit (`giveTheCustomerTheWaitingMobile`) shows it: nothing links until a batch writes a
/// row, any row.
func expectNoWriteSkipsThePendingPass(
    _ store: any MasterStore, giveTheCustomerTheWaitingMobile: () throws -> Void
) throws {
    try store.withBatch(batch()) { session in
        _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N"))
        #expect(try session.merge(customer("web", "w1", mobile: "+8613900139000", taxID: nil)) == .pending)
        #expect(try session.resolvePending().bySystem["web"]?.unmatched == 1)
    }
    try giveTheCustomerTheWaitingMobile()
    func state() throws -> String? { try rows(store, .xref).first { $0["source_id"] == "w1" }?["state"] }
    let skipped = try store.withBatch(batch()) { session in
        let row = UnchangedRow(system: "web", sourceID: "w1", rawDigest: 0, pending: true)
        #expect(try session.merge([.unchanged(row)]) == .merged([.unchanged(pending: true)]))
        return try session.resolvePending()
    }
    #expect(skipped == PendingResolution())
    #expect(try state() == "pending")
    let linked = try store.withBatch(batch()) { session in
        _ = try session.merge(customer("web", "w2", mobile: nil, taxID: nil))
        return try session.resolvePending()
    }
    #expect(linked.bySystem["web"]?.linkedFromEarlier == 1)
    #expect(try state() == "merged")
}
