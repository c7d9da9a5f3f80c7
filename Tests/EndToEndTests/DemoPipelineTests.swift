import Foundation
import GRDB
import Testing

/// The outcome the fixture generator (scripts/gen_fixtures.py) expects for every physical record.
struct Expected: Decodable {
    struct Record: Decodable {
        var file: String
        var system: String
        var line: Int
        /// How the rejects export names the record: `line N`, or `SHEET!N` for a worksheet row.
        var locator: String?
        var source_id: String?
        var customer: String?
        var state: String
        var reason: String?
        /// How a merged record found its customer: key, phone, tax_id or landline.
        var via: String?
        var updated_at: String?
        /// Variety set: master column → the value the record means to carry.
        var values: [String: String]?
    }
    struct Counts: Decodable {
        var read: Int
        var merged: Int
        var pending: Int
        var rejected: Int
        var duplicate: Int
        var rejected_by_reason: [String: Int]
        var id_match: Double?
        var sync_lag_24h: Double?
        var lagged_over_24h: Int
        /// Overall counts only.
        var master_customers: Int?

        /// Rejects by reason as crmbridge counts them: records of state duplicate are rejected `duplicate`.
        var rejectsByReason: [String: Int] {
            var reasons = rejected_by_reason
            if duplicate > 0 { reasons["duplicate", default: 0] += duplicate }
            return reasons
        }
    }
    struct File: Decodable {
        var system: String
        var counts: Counts
    }
    var as_of: String
    var counts: Counts
    var files: [String: File]
    var records: [Record]

    static func load() throws -> Expected {
        let data = try Data(contentsOf: CLI.root.appendingPathComponent("fixtures/expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }
}

struct Summary: Decodable {
    struct Counts: Decodable {
        var read: Int
        var merged: Int
        var pending: Int
        var rejected: Int
        var created: Int
        var updated: Int
        var unchanged: Int
        var rejected_by_reason: [String: Int]?
        var refused_dates: [String: Int]?
    }
    struct Metric: Decodable {
        var name: String
        var value: Double?
    }
    struct File: Decodable {
        var path: String
        var status: String
    }
    var batch_id: String
    var overall: Counts
    var by_system: [String: Counts]
    var files: [File]
    var health: String
    var metrics: [Metric]?
    var id_match_by_system: [String: Double]?
    var sync_lag_by_system: [String: Double]?
    /// Accepted rows whose updated_at is empty or was refused.
    var rows_without_updated_at: Int?
}

/// Runs the demo pipeline into a fresh store; returns the scratch folder, the store and the summary.
func runDemo(_ extra: [String] = [], store: URL? = nil) throws -> (URL, URL, CLI.Result) {
    let scratch = try CLI.scratch()
    let store = store ?? scratch.appendingPathComponent("demo.sqlite")
    let result = try CLI.run(
        [
            "run", "pipelines/demo.yml", "--store", "sqlite:\(store.path)",
            "--as-of", "2026-11-22T03:00:00+08:00", "--json",
        ] + extra)
    return (scratch, store, result)
}

@Suite(.serialized) struct DemoPipelineTests {
    @Test func everyRecordEndsWhereTheGeneratorSays() throws {
        let expected = try Expected.load()
        let (scratch, store, result) = try runDemo()
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))

        // Accounting: every physical record once; duplicates are rejected as `duplicate`.
        #expect(summary.overall.read == expected.counts.read)
        #expect(summary.overall.read == summary.overall.merged + summary.overall.pending + summary.overall.rejected)
        #expect(summary.overall.merged == expected.counts.merged)
        #expect(summary.overall.pending == expected.counts.pending)
        #expect(summary.overall.rejected == expected.counts.rejected + expected.counts.duplicate)
        #expect(summary.overall.rejected_by_reason == expected.counts.rejectsByReason)

        // Per system: the same accounting, and the batch metrics (expected.json rounds them to 4 places).
        func close(_ got: Double?, _ want: Double?) -> Bool {
            guard let got, let want else { return got == nil && want == nil }
            return abs(got - want) < 0.00005 + 1e-9
        }
        let metrics = Dictionary((summary.metrics ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(
            close(metrics["id_match"] ?? nil, expected.counts.id_match), "id_match \(String(describing: metrics["id_match"]))")
        #expect(
            close(metrics["sync_lag_24h"] ?? nil, expected.counts.sync_lag_24h),
            "sync_lag_24h \(String(describing: metrics["sync_lag_24h"]))")
        for (file, want) in expected.files {
            let system = want.system
            let got = try #require(summary.by_system[system], "no counts for \(system)")
            #expect(got.read == want.counts.read, "\(file) read")
            #expect(got.merged == want.counts.merged, "\(file) merged")
            #expect(got.pending == want.counts.pending, "\(file) pending")
            #expect(got.rejected == want.counts.rejected + want.counts.duplicate, "\(file) rejected")
            #expect(got.rejected_by_reason == want.counts.rejectsByReason, "\(file) rejects by reason")
            #expect(close(summary.id_match_by_system?[system], want.counts.id_match), "\(file) id_match")
            #expect(close(summary.sync_lag_by_system?[system], want.counts.sync_lag_24h), "\(file) sync_lag_24h")
        }

        // Rejects: file, line and reason of every rejected record.
        let rejects = parseCSV(try CLI.export("rejects", store: store, to: scratch))
        let got = Set(
            rejects.map {
                "\(URL(fileURLWithPath: $0["source_file"]!).lastPathComponent) \($0["locator"]!) \($0["reason_code"]!)"
            })
        let want = Set(
            expected.records.filter { $0.state == "rejected" || $0.state == "duplicate" }.map {
                "\($0.file) \($0.locator ?? "line \($0.line)") \($0.reason ?? "duplicate")"
            })
        #expect(got == want)
        #expect(rejects.allSatisfy { !$0["batch_id"]!.isEmpty && $0["batch_id"] == summary.batch_id })

        // Cross-reference: state per record, and one key per true customer.
        let xref = parseCSV(try CLI.export("xref", store: store, to: scratch))
        let bySource = Dictionary(
            xref.map { ("\($0["source_system"]!)/\($0["source_id"]!)", $0) }, uniquingKeysWith: { a, _ in a })
        var keyOfCustomer: [String: String] = [:]
        var customerOfKey: [String: String] = [:]
        for record in expected.records where record.state == "merged" || record.state == "pending" {
            let row = try #require(
                bySource["\(record.system)/\(record.source_id ?? "")"], "no xref row for \(record.source_id ?? "")")
            #expect(row["state"] == record.state, "\(record.file) line \(record.line)")
            // Columns after the contract's: how the record was linked, and the updated_at sync lag is measured on.
            if let link = row["link"] {
                #expect(link == (record.via ?? "unmatched"), "\(record.file) line \(record.line): linked by \(link)")
            }
            if let updatedAt = row["updated_at"], let want = record.updated_at {
                #expect(updatedAt == want, "\(record.file) line \(record.line): updated_at \(updatedAt)")
            }
            guard record.state == "merged", let customer = record.customer, let key = row["customer_key"] else { continue }
            #expect(keyOfCustomer[customer, default: key] == key, "\(customer) split over several keys")
            #expect(customerOfKey[key, default: customer] == customer, "\(key) holds two customers")
            keyOfCustomer[customer] = key
            customerOfKey[key] = customer
        }
        let master = parseCSV(try CLI.export("master", store: store, to: scratch))
        #expect(master.count == Set(keyOfCustomer.values).count)
        #expect(master.allSatisfy { $0["phone_e164"]!.hasPrefix("+86") && $0["customer_key"]!.count == 64 })
    }

    @Test func exportsFollowTheContract() throws {
        let (scratch, store, result) = try runDemo()
        #expect(result.status == 0)
        let contract = [
            "master":
                "customer_key,name,name_pinyin,phone_e164,tax_id,company,province,city,district,adcode,address_detail,owner,sales_group,first_touch_channel,status,last_contact_at,next_followup_at,next_followup_plan,updated_at",
            "xref": "source_system,source_id,customer_key,state,batch_id",
            "rejects": "batch_id,source_system,source_file,locator,reason_code,reason",
        ]
        for (table, columns) in contract {
            let text = try CLI.export(table, store: store, to: scratch)
            #expect(text.hasPrefix(columns), "\(table) header")
            let jsonl = try CLI.export(table, store: store, to: scratch, format: "jsonl")
            let first = try #require(jsonl.split(separator: "\n").first)
            let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
            #expect(Set(columns.split(separator: ",").map(String.init)).isSubset(of: Set(object?.keys ?? [:].keys)))
        }
    }

    @Test func aSecondRunChangesNothing() throws {
        let (scratch, store, first) = try runDemo()
        #expect(first.status == 0)
        let before = try ["master", "xref", "rejects"].map { try CLI.export($0, store: store, to: scratch) }
        let changeLog = {
            try DatabaseQueue(path: store.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM change_log")! }
        }
        let logBefore = try changeLog()

        let (_, _, second) = try runDemo(store: store)
        #expect(second.status == 0)
        let summary = try JSONDecoder().decode(Summary.self, from: Data(second.stdout.utf8))
        #expect(summary.overall.read == 0)
        #expect(summary.files.allSatisfy { $0.status == "skipped" })
        #expect(try ["master", "xref", "rejects"].map { try CLI.export($0, store: store, to: scratch) } == before)
        #expect(try changeLog() == logBefore)

        // --force re-reads every file and still writes nothing new.
        let (_, _, forced) = try runDemo(["--force"], store: store)
        let forcedSummary = try JSONDecoder().decode(Summary.self, from: Data(forced.stdout.utf8))
        #expect(forcedSummary.overall.created == 0)
        // Every format's rows are found unchanged (most without being normalized again).
        #expect(forcedSummary.overall.unchanged == forcedSummary.overall.merged + forcedSummary.overall.pending)
        #expect(forcedSummary.overall.updated == 0)
        #expect(
            forcedSummary.overall.read == forcedSummary.overall.merged + forcedSummary.overall.pending
                + forcedSummary.overall.rejected)
        #expect(try CLI.export("master", store: store, to: scratch) == before[0])
        #expect(try changeLog() == logBefore)
        // It rejects what the first run rejected: a repeat of a row found unchanged is a
        // duplicate, as a repeat of a row written is (the re-run once merged those).
        let firstSummary = try JSONDecoder().decode(Summary.self, from: Data(first.stdout.utf8))
        #expect(forcedSummary.overall.rejected_by_reason?["duplicate"] ?? 0 >= 2)
        for (system, counts) in firstSummary.by_system {
            #expect(
                forcedSummary.by_system[system]?.rejected_by_reason == counts.rejected_by_reason,
                "\(system): \(String(describing: forcedSummary.by_system[system]?.rejected_by_reason))")
        }
    }

    @Test func aDryRunWritesNothing() throws {
        let (_, store, result) = try runDemo(["--dry-run"])
        #expect(result.status == 0)
        // Into a store that does not exist yet: not even an empty store is left.
        #expect(!FileManager.default.fileExists(atPath: store.path))
        #expect(!FileManager.default.fileExists(atPath: store.path + "-building"))
        // Into one that exists: nothing changes.
        #expect(try runDemo(store: store).2.status == 0)
        let before = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM customers ORDER BY customer_key")
        }
        let bytes = try Data(contentsOf: store)
        #expect(try runDemo(["--dry-run", "--force"], store: store).2.status == 0)
        // Not a byte: GRDB's WAL set-up once committed a table made and dropped before each batch
        // (128 KiB, which a full disk did not have).
        #expect(try Data(contentsOf: store) == bytes)
        let after = try DatabaseQueue(path: store.path).read { db in
            (
                try Row.fetchAll(db, sql: "SELECT * FROM customers ORDER BY customer_key"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM batches")
            )
        }
        #expect(after.0 == before)
        #expect(after.1 == 1)
    }

    @Test func theKeyCommandAgreesWithTheStore() throws {
        let expected = try Expected.load()
        let (scratch, store, _) = try runDemo()
        let keyed = try #require(expected.records.first { $0.state == "merged" && $0.file == "crm_gbk.csv" })
        let xref = parseCSV(try CLI.export("xref", store: store, to: scratch))
        let row = try #require(xref.first { $0["source_id"] == keyed.source_id })
        let master = parseCSV(try CLI.export("master", store: store, to: scratch))
        let customer = try #require(master.first { $0["customer_key"] == row["customer_key"] })
        let result = try CLI.run([
            "key", "--phone", customer["phone_e164"]!, "--tax-id", customer["tax_id"]!.lowercased(), "--demo",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == customer["customer_key"])
        let missing = try CLI.run(["key", "--phone", "13800138000", "--tax-id", customer["tax_id"]!])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("CRMBRIDGE_KEY_SECRET is not set"))
    }
}
