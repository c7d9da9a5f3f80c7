import Foundation
import GRDB
import Testing
import Transform

@testable import Load

/// The counts that batches keep in `presence_groups` must equal a scan of the customers.
@Suite struct PresenceGroupsTests {
    static let tests: [PresenceTest] = [
        .nonEmpty(column: "owner"), .notNull(column: "district"),
        .nonEmpty(column: "industry"), .notNull(column: "industry"),
        .nonEmpty(column: "phone_e164"), .nonEmpty(column: "tax_id"),
    ]

    /// The report as a scan of every customer gives it: the oracle.
    static func scanned(_ store: SQLiteStore, _ tests: [PresenceTest]) throws -> PresenceReport {
        let empty = PresenceCounts(filled: Array(repeating: 0, count: tests.count))
        var report = PresenceReport(overall: empty, bySystem: [:], byOwner: [:])
        try store.queue.read { db in
            let tested = tests.map { test in
                switch test {
                case .nonEmpty(let column): "(\(column) IS NOT NULL AND \(column) <> '')"
                case .notNull(let column): "(\(column) IS NOT NULL)"
                }
            }
            let rows = try Row.fetchAll(
                db, sql: "SELECT COALESCE(owner, ''), systems, \(tested.joined(separator: ", ")) FROM customers")
            for row in rows {
                let passed = (0..<tests.count).map { (row[$0 + 2] as Int) == 1 }
                let counts = PresenceCounts(
                    customers: 1, complete: passed.allSatisfy { $0 } ? 1 : 0,
                    filled: passed.map { $0 ? 1 : 0 })
                report.overall.add(counts)
                report.byOwner[row[0], default: empty].add(counts)
                let systems: String = row[1]
                for system in systems.split(separator: ",") { report.bySystem[String(system), default: empty].add(counts) }
            }
        }
        return report
    }

    /// A small deterministic generator, so that a failure can be replayed.
    struct LCG {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func batchesKeepTheCountsOfAScan() throws {
        let store = try temporaryStore()
        var random = LCG(state: 42)
        let taxIDs = ["91440300MA5FXT4K8N", "91110108MA01ABCD5T", "91310000MA1FL0XX2Q", "9144030071526726XG"]
        for round in 0..<5 {
            try store.withBatch(batch()) { session in
                for _ in 0..<300 {
                    let system = ["crm", "erp", "web"][random.next(3)]
                    let mobile = random.next(8) == 0 ? nil : "+86138001380\(String(format: "%02d", random.next(40)))"
                    let taxID = random.next(5) == 0 ? nil : taxIDs[random.next(taxIDs.count)]
                    var values: [MasterColumn: String] = [:]
                    if random.next(3) != 0 { values[.owner] = ["张强", "李娜", "王芳"][random.next(3)] }
                    if random.next(2) == 0 { values[.district] = ["南山区", "海淀区"][random.next(2)] }
                    if random.next(2) == 0 { values[.industry] = ["制造业", "零售"][random.next(2)] }
                    let updatedAt = 1_763_700_000 + TimeInterval(round * 10_000 + random.next(5_000))
                    _ = try session.merge(
                        customer(
                            system, "\(system)-\(random.next(200))", mobile: mobile, taxID: taxID,
                            updatedAt: updatedAt, values))
                }
                _ = try session.resolvePending()
                // Inside the batch too: completeness is measured before the commit.
                let report = try session.presence(Self.tests, bySystem: false, byOwner: false)
                var customers = 0
                var filled = Array(repeating: 0, count: Self.tests.count)
                try session.forEachCustomer { row in
                    customers += 1
                    for (index, test) in Self.tests.enumerated() where test.holds(for: row) { filled[index] += 1 }
                }
                #expect(report.overall.customers == customers && report.overall.filled == filled)
            }
            #expect(try store.presence(Self.tests, bySystem: true, byOwner: true) == Self.scanned(store, Self.tests))
        }
        let report = try store.presence(Self.tests, bySystem: true, byOwner: true)
        #expect(report.overall.customers > 50 && report.bySystem.count == 3 && report.byOwner.count == 4)
    }

    @Test func aStoreFromBeforeTheCountsGetsThemFromItsCustomers() throws {
        let store = try temporaryStore()
        try store.withBatch(batch()) { session in
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N", [.owner: "张强"]))
            _ = try session.merge(
                customer(
                    "erp", "E1", mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N",
                    [.district: "南山区"]))
            _ = try session.merge(customer("erp", "E2", mobile: "+8613900139000", taxID: "91110108MA01ABCD5T"))
        }
        // The store as v8 left it, with an empty owner written by hand: no counts, v9 not applied.
        let queue = try DatabaseQueue(path: store.path)
        try queue.write { db in
            try db.execute(
                sql: """
                    DROP TABLE presence_groups;
                    DELETE FROM grdb_migrations WHERE identifier = 'v9-presence-groups';
                    UPDATE customers SET industry = '' WHERE phone_e164 = '+8613900139000';
                    """)
        }
        try queue.close()
        let reopened = try SQLiteStore(path: store.path)
        let report = try reopened.presence(Self.tests, bySystem: true, byOwner: true)
        #expect(report == (try Self.scanned(reopened, Self.tests)))
        #expect(report.overall == PresenceCounts(customers: 2, complete: 0, filled: [1, 1, 0, 1, 2, 2]))
    }
}
