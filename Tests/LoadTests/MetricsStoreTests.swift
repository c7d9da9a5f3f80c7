import Foundation
import GRDB
import Testing
import Transform

@testable import Load

@Suite struct MetricsStoreTests {
    @Test func aBatchStoresItsMetricsAndReadsThemBack() throws {
        let store = try temporaryStore()
        let rows = [
            MetricRow(metric: "id_match", value: 0.5, numerator: 1, denominator: 2),
            MetricRow(metric: "id_match", system: "crm", value: 1, numerator: 1, denominator: 1),
        ]
        for id in ["first", "second"] {
            try store.withBatch(batch(id)) { session in
                _ = try session.merge(customer("crm", id, mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N"))
                try session.recordMetrics(rows)
                try session.finish(summary: "{}")
            }
        }
        let batches = try store.recentBatches(1)
        #expect(batches.map(\.batchID) == ["second"])
        #expect(batches[0].metrics == rows.sorted { $0.system < $1.system })
        #expect(try store.recentBatches(10).map(\.batchID) == ["first", "second"])
    }

    @Test func presenceIsCountedOverallAndPerSystem() throws {
        let store = try temporaryStore()
        try store.withBatch(batch()) { session in
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N", [.owner: "张强"]))
            _ = try session.merge(customer("erp", "E1", mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N"))
            _ = try session.merge(customer("erp", "E2", mobile: "+8613900139000", taxID: "91110108MA01ABCD5T"))
            _ = try session.merge(customer("erp", "E3", mobile: "+8613900139000", taxID: "91110108MA01ABCD5T"))
        }
        let report = try store.presence(
            [.nonEmpty(column: "owner"), .notNull(column: "district")], bySystem: true,
            byOwner: true)
        #expect(report.overall == PresenceCounts(customers: 2, complete: 0, filled: [1, 0]))
        #expect(
            report.byOwner == [
                "张强": PresenceCounts(customers: 1, complete: 0, filled: [1, 0]),
                "": PresenceCounts(customers: 1, complete: 0, filled: [0, 0]),
            ])
        // Without the owners, one scan without grouping: the same overall counts.
        let plain = try store.presence(
            [.nonEmpty(column: "owner"), .notNull(column: "district")], bySystem: false,
            byOwner: false)
        #expect(plain.overall == report.overall && plain.byOwner.isEmpty)
        #expect(report.bySystem["crm"] == PresenceCounts(customers: 1, complete: 0, filled: [1, 0]))
        // Three erp records of two customers: each customer once.
        #expect(report.bySystem["erp"] == PresenceCounts(customers: 2, complete: 0, filled: [1, 0]))
    }

    @Test func aStoreFromBeforeTheSystemsColumnCountsPerSystemAfterItsMigration() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID().uuidString).sqlite").path
        let tests: [PresenceTest] = [.nonEmpty(column: "owner")]
        let expected = try {
            let store = try SQLiteStore(path: path)
            try store.withBatch(batch()) { session in
                _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N", [.owner: "张强"]))
                _ = try session.merge(customer("erp", "E1", mobile: "+8613800138000", taxID: "91440300MA5FXT4K8N"))
                _ = try session.merge(customer("erp", "E2", mobile: "+8613900139000", taxID: "91110108MA01ABCD5T"))
                _ = try session.merge(customer("web", "W1", mobile: "+8613700137000", taxID: nil))  // pending
            }
            return try store.presence(tests, bySystem: true, byOwner: false).bySystem
        }()
        #expect(expected["crm"]?.customers == 1 && expected["erp"]?.customers == 2 && expected["web"] == nil)
        // The store as v6 left it: no systems column, v7 not applied.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    ALTER TABLE customers DROP COLUMN systems;
                    DELETE FROM grdb_migrations WHERE identifier = 'v7-customer-systems';
                    """)
        }
        try queue.close()
        #expect(try SQLiteStore(path: path).presence(tests, bySystem: true, byOwner: false).bySystem == expected)
    }

    @Test func anOldStoreOpenedReadOnlyHasBatchesWithoutMetrics() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO batches (batch_id, pipeline, started_at, finished_at, as_of, summary) VALUES ('old', 'p', '', '', '', '{}')
                    """)
        }
        let batches = try SQLiteStore(path: path, readOnly: true).recentBatches(5)
        #expect(batches.map(\.batchID) == ["old"] && batches[0].metrics.isEmpty)
    }
}
