import Extract
import Foundation
import GRDB
import Testing
import Transform

@testable import Load

/// Early links (docs/design.md, Linking) must decide exactly what the pending pass alone decides.
/// A store that held a customer before the batch links nothing early, so each case runs twice:
/// into an empty store and into one holding an unrelated customer, and everything the batch
/// wrote must come out the same.
@Suite struct EarlyLinkTests {
    static let mobiles = ["+8613800138000", "+8613900139000", "+8613700137000", "+8613600136000"]
    static let taxIDs = ["91440300MA5FXT4K8N", "91110108MA01ABCD5T", "91310115MA1K3YJ24X"]
    static let bystander = customer("old", "0", mobile: "+8613000130000", taxID: "91330106MA27XY1234")

    /// What a batch wrote, without the bystander: merge outcomes, the pass's counts, the master,
    /// the cross-reference and the change log in its order.
    struct Written: Equatable {
        var outcomes: [ChunkMerge] = []
        var resolution = PendingResolution()
        var master: [[String: String]] = []
        var xref: [[String: String]] = []
        var changes: [[String?]] = []
    }

    static func load(_ chunks: [[CanonicalRecord]], bystander: Bool, pass: Bool = true) throws -> Written {
        let store = try temporaryStore()
        if bystander { try store.withBatch(batch("b0")) { _ = try $0.merge(Self.bystander) } }
        var written = Written()
        try store.withBatch(batch("b1")) { session in
            for chunk in chunks {
                written.outcomes.append(try session.merge(chunk.map { .staged(StagedRecord($0, batch: session.batch)) }))
            }
            if pass { written.resolution = try session.resolvePending() }
        }
        written.master = try rows(store, .master).filter { $0["phone_e164"] != Self.bystander.mobile }
        written.xref = try rows(store, .xref).filter { $0["source_system"] != "old" }
        written.changes = try store.queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT hex(customer_key), field, old_value, new_value, source_system, source_id FROM change_log
                    WHERE source_system != 'old' ORDER BY id
                    """
            ).map { row in (0..<6).map { row[$0] as String? } }
        }
        return written
    }

    static func expectSame(_ chunks: [[CanonicalRecord]], pass: Bool = true) throws -> Written {
        let early = try load(chunks, bystander: false, pass: pass)
        let passOnly = try load(chunks, bystander: true, pass: pass)
        #expect(early == passOnly)
        return early
    }

    @Test func aLaterCustomerWithTheSameMobileSendsAnEarlyLinkBackToWait() throws {
        let written = try Self.expectSame([
            [customer("crm", "1", mobile: Self.mobiles[0], taxID: Self.taxIDs[0])],
            [customer("web", "w1", mobile: Self.mobiles[0], taxID: nil, [.owner: "甲"])],
            [customer("crm", "2", mobile: Self.mobiles[0], taxID: Self.taxIDs[1])],
        ])
        #expect(written.resolution.bySystem["web"]?.ambiguous == 1)
        #expect(written.xref.first { $0["source_id"] == "w1" }?["link"] == "ambiguous_phone")
        #expect(written.master.allSatisfy { $0["owner"] != "甲" })
    }

    @Test func aRecordWrittenAgainTakesItsEarlyLinkBack() throws {
        let written = try Self.expectSame([
            [
                customer("crm", "1", mobile: Self.mobiles[0], taxID: Self.taxIDs[0]),
                customer("web", "w1", mobile: Self.mobiles[0], taxID: nil, [.owner: "甲"]),
            ],
            [customer("web", "w1", mobile: Self.mobiles[1], taxID: nil, updatedAt: 1_763_700_100, [.owner: "乙"])],
        ])
        #expect(written.resolution.bySystem["web"]?.unmatched == 1)
        #expect(written.resolution.bySystem["web"]?.linkedFromBatch == 0)
        #expect(written.master.first?["owner"] == "")
    }

    /// The pass asks the store only for the customers of a mobile one holds: a stranger's
    /// record waits, and the one whose mobile a later customer holds links in the pass.
    @Test func thePassLooksUpOnlyMobilesACustomerHolds() throws {
        let written = try Self.expectSame([
            [customer("web", "w1", mobile: Self.mobiles[1], taxID: nil)],
            [customer("web", "w2", mobile: Self.mobiles[2], taxID: nil, [.owner: "甲"])],
            [customer("erp", "e1", mobile: nil, taxID: Self.taxIDs[0])],
            [customer("crm", "1", mobile: Self.mobiles[2], taxID: Self.taxIDs[0])],
        ])
        #expect(written.xref.first { $0["source_id"] == "w1" }?["link"] == "unmatched")
        #expect(written.xref.first { $0["source_id"] == "w2" }?["link"] == "phone")
        #expect(written.xref.first { $0["source_id"] == "e1" }?["link"] == "tax_id")
        #expect(written.resolution.bySystem["web"]?.unmatched == 1)
        #expect(written.master.first?["owner"] == "甲")
    }

    /// Without the pass (no caller does that, but the store must not care), an early link is not
    /// left half done: the record waits, as the merge wrote it.
    @Test func aBatchEndedWithoutThePassLeavesEarlyLinksWaiting() throws {
        let written = try Self.expectSame(
            [
                [customer("crm", "1", mobile: Self.mobiles[0], taxID: Self.taxIDs[0])],
                [customer("web", "w1", mobile: Self.mobiles[0], taxID: nil)],
            ], pass: false)
        #expect(written.xref.first { $0["source_id"] == "w1" }?["state"] == "pending")
        #expect(written.xref.first { $0["source_id"] == "w1" }?["link"] == "unmatched")
    }

    /// Random batches over four mobiles and three tax IDs: keyed records, records with one of the
    /// two, calls, ids written again with other values, in chunks of random sizes.
    @Test(arguments: 0..<24) func randomBatchesDecideAsThePassAlone(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let statuses = ["新客户", "意向", "成交", "流失"]
        var records: [CanonicalRecord] = []
        for _ in 0..<random.below(60) + 10 {
            let system = ["crm", "web", "calls"][random.below(3)]
            let id = "\(system)-\(random.below(12))"
            let mobile = random.below(5) == 0 ? nil : Self.mobiles[random.below(Self.mobiles.count)]
            let updatedAt = random.below(4) == 0 ? nil : TimeInterval(1_763_700_000 + random.below(5) * 100)
            var values: [MasterColumn: String] = [.status: statuses[random.below(statuses.count)]]
            if random.below(2) == 0 { values[.owner] = ["甲", "乙", "丙"][random.below(3)] }
            if system == "calls" {
                var call = record(system, id, updatedAt: updatedAt, [.landline: "+867558888660"])
                call.mobile = mobile
                call.contactOnly = true
                records.append(call)
                continue
            }
            let taxID = random.below(3) == 0 ? nil : Self.taxIDs[random.below(Self.taxIDs.count)]
            var made = customer(system, id, mobile: mobile, taxID: taxID, values)
            made.updatedAt = updatedAt.map { Date(timeIntervalSince1970: $0) }
            if system == "crm", random.below(3) == 0 { made[.landline] = "+867558888660" }
            records.append(made)
        }
        var chunks: [[CanonicalRecord]] = []
        while !records.isEmpty {
            let size = min(records.count, random.below(8) + 1)
            chunks.append(Array(records.prefix(size)))
            records.removeFirst(size)
        }
        _ = try Self.expectSame(chunks)
    }
}

@Suite struct EarlyLinksTableTests {
    let key = [UInt8](repeating: 7, count: 32)

    @Test(arguments: [
        ("+8613800138000", UInt64(13) << 60 | 8_613_800_138_000),
        ("+08613800138000", UInt64(14) << 60 | 8_613_800_138_000),
        ("+123456789012345", UInt64(15) << 60 | 123_456_789_012_345),
    ])
    func codesKeepEveryDigitAndTheirCount(mobile: String, code: UInt64) {
        #expect(EarlyLinks.code(mobile) == code)
    }

    @Test(arguments: ["", "+", "8613800138000", "+86 138", "+1234567890123456", "+８６"])
    func anythingButAnE164NumberHasNoCode(mobile: String) {
        #expect(EarlyLinks.code(mobile) == nil)
    }

    @Test func aSecondCustomerMakesAMobileAmbiguousAndBreaksItsEarlyLinks() throws {
        var links = EarlyLinks()
        links.add(mobile: "+8613800138000", key: key, row: 1)
        links.add(mobile: "+8613900139000", key: key, row: 2)
        #expect(links.customer(mobile: "+8613800138000")?.row == 1)
        links.linked(to: try #require(links.customer(mobile: "+8613800138000")), system: "web")
        links.add(mobile: "+8613800138000", key: key, row: 3)
        links.add(mobile: "+8613900139000", key: key, row: 4)
        #expect(links.customer(mobile: "+8613800138000") == nil)
        #expect(links.customer(mobile: "+8613900139000") == nil)
        #expect(links.broken == [EarlyLinks.code("+8613800138000")!], "no record linked early through the other")
        #expect(links.bySystem == ["web": 1])
    }

    /// Past its capacity the table notes no new mobile, but still sees a noted one taken again.
    @Test func pastItsCapacityATableStillCatchesAMobileTakenAgain() throws {
        var links = EarlyLinks(capacity: 1)
        links.add(mobile: "+8613800138000", key: key, row: 1)
        links.add(mobile: "+8613900139000", key: key, row: 2)
        #expect(links.customer(mobile: "+8613900139000") == nil)
        links.linked(to: try #require(links.customer(mobile: "+8613800138000")), system: "web")
        links.add(mobile: "+8613800138000", key: key, row: 3)
        #expect(links.broken.count == 1)
    }

    /// The held mobiles say "none" only for an E.164 number no customer holds, and only when the
    /// table left no customer out.
    @Test func heldMobilesSayNoneOnlyWhenTheTableIsComplete() throws {
        var links = EarlyLinks(capacity: 2)
        links.add(mobile: "+8613800138000", key: key, row: 1)
        links.add(mobile: "+8613800138000", key: key, row: 2)
        links.add(mobile: "+8613900139000", key: key, row: 3)
        let held = try #require(links.heldMobiles)
        #expect(held.noneHold("+8613700137000"))
        #expect(!held.noneHold("+8613800138000"), "held by two")
        #expect(!held.noneHold("+8613900139000"))
        #expect(!held.noneHold("13700137000"), "not E.164: the store decides")
        links.add(mobile: "+8613600136000", key: key, row: 4)
        #expect(links.heldMobiles == nil, "a customer left out past the capacity")
    }

    /// A customer whose key is damaged is never linked to, and its mobile is still taken: the
    /// next customer with it is not the only one.
    @Test func aCustomerWithoutAWholeKeyStillTakesItsMobile() {
        var links = EarlyLinks()
        links.add(mobile: "+8613800138000", key: Array(key.prefix(31)), row: 1)
        #expect(links.customer(mobile: "+8613800138000") == nil)
        links.add(mobile: "+8613800138000", key: key, row: 2)
        #expect(links.customer(mobile: "+8613800138000") == nil)
    }
}
