import Foundation
import GRDB
import Testing

/// The demo pipeline with its thresholds replaced and `extra` appended, written next to a copy
/// of nothing: its source paths point at the repository's fixtures.
func demoPipeline(in scratch: URL, thresholds: String? = nil, extra: String = "") throws -> URL {
    var text = try String(contentsOf: CLI.root.appendingPathComponent("pipelines/demo.yml"), encoding: .utf8)
    text = text.replacingOccurrences(of: "../fixtures/", with: CLI.root.appendingPathComponent("fixtures").path + "/")
        .replacingOccurrences(of: "store: sqlite:../out/demo.sqlite", with: "store: sqlite:demo.sqlite")
    if let thresholds {
        let start = try #require(text.range(of: "  thresholds:"))
        text = String(text[..<start.lowerBound]) + thresholds
    }
    let url = scratch.appendingPathComponent("pipeline.yml")
    try (text + extra).write(to: url, atomically: true, encoding: .utf8)
    return url
}

struct StoredMetric: Hashable {
    var metric: String
    var system: String
    var field: String
}

func storedMetrics(_ store: URL) throws -> [StoredMetric: (value: Double, numerator: Int?, denominator: Int?)] {
    try DatabaseQueue(path: store.path).read { db in
        var result: [StoredMetric: (Double, Int?, Int?)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT metric, system, field, value, numerator, denominator FROM metrics") {
            result[StoredMetric(metric: row[0], system: row[1], field: row[2])] = (row[3], row[4], row[5])
        }
        return result
    }
}

extension Expected {
    var systems: [String] { files.values.map(\.system).sorted() }

    func file(of system: String) throws -> File { try #require(files.values.first { $0.system == system }) }
}

@Suite(.serialized) struct HealthCommandTests {
    @Test func eachBatchStoresItsMetricsAsTheFixturesExpect() throws {
        let fixture = try Expected.load()
        let (_, store, result) = try runDemo()
        #expect(result.status == 0, "\(result.stderr)")
        let metrics = try storedMetrics(store)
        let accepted = fixture.counts.merged + fixture.counts.pending
        let idMatch = try #require(metrics[StoredMetric(metric: "id_match", system: "", field: "")])
        #expect(idMatch.numerator == fixture.counts.merged && idMatch.denominator == accepted)
        #expect((idMatch.value * 10_000).rounded() / 10_000 == fixture.counts.id_match)
        let lag = try #require(metrics[StoredMetric(metric: "sync_lag_24h", system: "", field: "")])
        #expect(lag.numerator == fixture.counts.lagged_over_24h && lag.denominator == accepted)
        #expect((lag.value * 10_000).rounded() / 10_000 == fixture.counts.sync_lag_24h)
        for file in fixture.files.values {
            let system = try #require(metrics[StoredMetric(metric: "id_match", system: file.system, field: "")], "\(file.system)")
            #expect(system.numerator == file.counts.merged && system.denominator == file.counts.merged + file.counts.pending)
            #expect((system.value * 10_000).rounded() / 10_000 == file.counts.id_match, "\(file.system)")
            let systemLag = try #require(metrics[StoredMetric(metric: "sync_lag_24h", system: file.system, field: "")])
            #expect(systemLag.numerator == file.counts.lagged_over_24h, "\(file.system)")
            #expect(metrics[StoredMetric(metric: "rows_without_updated_at", system: file.system, field: "")]?.numerator == 0)
        }
        let completeness = try #require(metrics[StoredMetric(metric: "completeness", system: "", field: "")])
        #expect(completeness.denominator == fixture.counts.master_customers)
        // Every required field is present on every keyed customer's phone and tax ID.
        #expect(metrics[StoredMetric(metric: "completeness", system: "", field: "phone")]?.value == 1)
        #expect(metrics[StoredMetric(metric: "completeness", system: "", field: "tax_id")]?.value == 1)
        let cells = try #require(metrics[StoredMetric(metric: "completeness_cells", system: "", field: "")])
        #expect(cells.denominator == (fixture.counts.master_customers ?? 0) * 12)
        #expect(metrics.keys.contains(StoredMetric(metric: "completeness", system: "crm", field: "")))
    }

    @Test func healthJSONRecomputesCompletenessAndReadsTheLatestBatch() throws {
        let (_, store, run) = try runDemo(["--json"])
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let result = try CLI.run(["health", "--store", "sqlite:\(store.path)", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "ok")
        let metrics = try #require(report["metrics"] as? [[String: Any]])
        #expect(metrics.map { $0["name"] as? String } == ["completeness", "id_match", "sync_lag_24h"])
        // The same values and limits as the run itself reported.
        let runMetrics = try #require(summary?["metrics"] as? [[String: Any]])
        for (got, want) in zip(metrics, runMetrics) {
            #expect(got["value"] as? Double == want["value"] as? Double)
            #expect(got["warn"] as? Double == want["warn"] as? Double)
        }
        #expect((report["latest_batch"] as? [String: Any])?["batch_id"] as? String == summary?["batch_id"] as? String)
        let fixture = try Expected.load()
        let systems = try #require(report["systems"] as? [[String: Any]])
        #expect(systems.map { $0["system"] as? String } == fixture.systems)
        let first = try fixture.file(of: fixture.systems[0]).counts
        #expect(systems.first?["accepted"] as? Int == first.merged + first.pending)
        #expect((report["trend"] as? [Any])?.count == 1)
        // The most frequent reason (the store also counts exact duplicates, which expected.json leaves out).
        let rejects = try #require(report["rejects_by_reason"] as? [[String: Any]])
        let (reason, count) = try #require(fixture.counts.rejected_by_reason.max { $0.value < $1.value })
        #expect(rejects.first?["reason"] as? String == reason && rejects.first?["count"] as? Int == count)
        let fields = try #require(report["fields"] as? [[String: Any]])
        #expect(fields.count == 12)
        #expect(fields.map { $0["ratio"] as? Double ?? 0 } == fields.map { $0["ratio"] as? Double ?? 0 }.sorted())
    }

    @Test func prometheusOutputIsValidTextfileFormat() throws {
        let (scratch, store, _) = try runDemo()
        let out = scratch.appendingPathComponent("crmbridge.prom")
        let result = try CLI.run(["health", "--store", "sqlite:\(store.path)", "--format", "prometheus", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: out, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let fixture = try Expected.load()
        let accepted = Double(fixture.counts.merged + fixture.counts.pending)
        let crm = try fixture.file(of: "crm").counts
        for expected in [
            "crmbridge_id_match_ratio \(Double(fixture.counts.merged) / accepted)",
            "crmbridge_id_match_ratio{system=\"crm\"} \(Double(crm.merged) / Double(crm.merged + crm.pending))",
            "crmbridge_sync_lag_24h_ratio \(Double(fixture.counts.lagged_over_24h) / accepted)",
            "crmbridge_customers \(fixture.counts.master_customers ?? 0)",
            "crmbridge_rejects_total{reason=\"malformed\"} \(fixture.counts.rejected_by_reason["malformed"]!)",
            "# TYPE crmbridge_rejects_total counter",
            "crmbridge_field_completeness_ratio{field=\"phone\"} 1", "crmbridge_health_status 0",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        #expect(lines.contains { $0.hasPrefix("crmbridge_last_batch_timestamp_seconds ") })
        // Every sample belongs to a family announced with HELP and TYPE just before it.
        var announced = Set<String>()
        let sample = /^([a-z_0-9]+)(\{[a-z_]+="[^"]*"\})? -?[0-9.e+-]+$/
        for line in lines {
            if line.hasPrefix("# TYPE ") { announced.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("# HELP ") { continue }
            let match = try #require(line.wholeMatch(of: sample), "not a sample: \(line)")
            #expect(announced.contains(String(match.1)), "\(match.1) has no TYPE line")
        }
    }

    @Test func aMetricAtFailGivesExitCode3ForRunAndHealth() throws {
        let scratch = try CLI.scratch()
        let pipeline = try demoPipeline(
            in: scratch,
            thresholds: """
                  thresholds:
                    completeness: {warn: 0.95, fail: 0.9}

                """)
        let run = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00"])
        #expect(run.status == 3, "\(run.stderr)")
        let health = try CLI.run(["health", "--pipeline", pipeline.path, "--lang", "en"])
        #expect(health.status == 3)
        #expect(health.stdout.contains("status: FAIL"))
        // Without --pipeline the limits the latest batch ran with apply.
        let stored = try CLI.run(["health", "--store", "sqlite:\(scratch.appendingPathComponent("demo.sqlite").path)"])
        #expect(stored.status == 3)
        let missing = try CLI.run(["health", "--store", "sqlite:\(scratch.appendingPathComponent("none.sqlite").path)"])
        #expect(missing.status == 1 && missing.stderr.contains("no store at"))
    }

    @Test func aStoreWithoutBatchesReportsCompletenessOnly() throws {
        let (_, store, dryRun) = try runDemo(["--dry-run"])
        #expect(dryRun.status == 0)
        // An empty file is an empty store: opened, it is migrated and has no batch.
        #expect(FileManager.default.createFile(atPath: store.path, contents: nil))
        let result = try CLI.run(["health", "--store", "sqlite:\(store.path)", "--lang", "en"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no batch in the store yet"))
        #expect(result.stdout.contains("completeness   1.0000  [ok]") && !result.stdout.contains("  id_match  "))
        let prometheus = try CLI.run(["health", "--store", "sqlite:\(store.path)", "--format", "prometheus"])
        #expect(prometheus.stdout.contains("crmbridge_customers 0\n") && !prometheus.stdout.contains("last_batch"))
    }

    @Test func anUndeliverableAlertIsReportedAndChangesNothingElse() throws {
        let scratch = try CLI.scratch()
        let pipeline = try demoPipeline(
            in: scratch,
            thresholds: """
                  thresholds:
                    completeness: {fail: 0.9}
                alerts:
                  - type: dingtalk
                    url: ${HOOK}
                    secret: ${HOOK_SECRET}
                    retries: 1
                    backoff: 0.05
                    timeout: 2

                """)
        let hook = "http://127.0.0.1:9/robot/send?access_token=TOPSECRET-TOKEN"
        let run = try CLI.run(
            ["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--lang", "en"],
            environment: ["HOOK": hook, "HOOK_SECRET": "SEC-SIGNING-SECRET"])
        #expect(run.status == 3, "the documented threshold code, not a failure: \(run.stderr)")
        #expect(
            run.stderr.contains(
                "the dingtalk alert to http://127.0.0.1:9/robot/send?access_token=*** was not delivered after 2 attempts"))
        #expect(run.stdout.contains("alert dingtalk"))
        for output in [run.stdout, run.stderr] {
            #expect(!output.contains("TOPSECRET-TOKEN") && !output.contains("SEC-SIGNING-SECRET"))
        }
        let customers = try DatabaseQueue(path: scratch.appendingPathComponent("demo.sqlite").path).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM customers")!
        }
        #expect(customers == (try Expected.load()).counts.master_customers ?? -1)
    }

    @Test func historyShowsTheCreationThenEveryChangeWithSourceAndBatch() throws {
        let (_, store, run) = try runDemo(["--json"])
        let batchID = try #require(
            (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["batch_id"] as? String)
        let (key, changes) = try DatabaseQueue(path: store.path).read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT hex(customer_key), count(*) FROM change_log GROUP BY customer_key ORDER BY count(*) DESC LIMIT 1
                        """))
            return ((row[0] as String).lowercased(), row[1] as Int)
        }
        let result = try CLI.run(["history", key, "--store", "sqlite:\(store.path)", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let history = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(history["customer_key"] as? String == key)
        let entries = try #require(history["entries"] as? [[String: Any]])
        #expect(entries.count == 1 + changes)
        #expect(entries.first?["kind"] as? String == "created")
        #expect(entries.allSatisfy { $0["batch_id"] as? String == batchID && !($0["source_id"] as? String ?? "").isEmpty })
        #expect(entries.dropFirst().allSatisfy { $0["kind"] as? String == "changed" && $0["field"] != nil })
        let text = try CLI.run(["history", key, "--store", "sqlite:\(store.path)"])
        #expect(text.stdout.contains("created from"))

        let unknown = try CLI.run(["history", String(repeating: "0", count: 64), "--store", "sqlite:\(store.path)"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no customer with key"))
        let malformed = try CLI.run(["history", "xyz", "--store", "sqlite:\(store.path)"])
        #expect(malformed.status == 2)
    }

    /// The structure and values always; a real render too where Debian's chromium is installed
    /// (`make dashboard-check` renders the demo's dashboard to look at).
    @Test func theDashboardIsOneSelfContainedFileThatRenders() throws {
        let scratch = try CLI.scratch()
        let store = scratch.appendingPathComponent("demo.sqlite")
        // Two batches a day apart, so that the trend charts draw lines; the second re-reads the files.
        for (asOf, extra) in [("2026-11-21T03:00:00+08:00", []), ("2026-11-22T03:00:00+08:00", ["--force"])] {
            let run = try CLI.run(["run", "pipelines/demo.yml", "--store", "sqlite:\(store.path)", "--as-of", asOf] + extra)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let out = scratch.appendingPathComponent("dashboard.html")
        let result = try CLI.run(["health", "--store", "sqlite:\(store.path)", "--format", "html", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"))
        for remote in ["http://", "https://", "<script", "src=", "@import", "url("] {
            #expect(!html.contains(remote), "not self-contained: \(remote)")
        }
        // The card shows what `health --format json` reports.
        let json = try CLI.run(["health", "--store", "sqlite:\(store.path)", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let idMatch = try #require((report["metrics"] as? [[String: Any]])?.first { $0["name"] as? String == "id_match" })
        let shown = try #require(html.firstMatch(of: /data-metric="id_match" data-value="([0-9.]+)" data-status="ok"/))
        // JSONSerialization may read the last digit differently: compare as numbers.
        #expect(abs((Double(shown.1) ?? -1) - (idMatch["value"] as? Double ?? 0)) < 1e-12)
        // For people: in Chinese unless told otherwise.
        #expect(html.contains(#"<html lang="zh-CN">"#) && html.contains("<h1>客户数据健康</h1>"))
        #expect(html.contains(#"<div class="status ok" data-status="ok">正常</div>"#))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.components(separatedBy: "<polyline").count - 1 == 3)
        #expect(html.components(separatedBy: "<tr data-system=").count - 1 == (try Expected.load()).systems.count)
        #expect(html.components(separatedBy: "<div class=\"field\"").count - 1 == 12)
        #expect(html.contains(#"<tr data-reason="malformed">"#))

        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let chromium else { return }
        let png = scratch.appendingPathComponent("dashboard.png")
        let render = Process()
        render.executableURL = URL(fileURLWithPath: chromium)
        render.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(png.path)",
            "--window-size=1280,1600", out.path,
        ]
        render.standardError = FileHandle.nullDevice
        render.standardOutput = FileHandle.nullDevice
        try render.run()
        render.waitUntilExit()
        let image = try Data(contentsOf: png)
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // A blank or unstyled page compresses to a few kilobytes; the dashboard does not.
        #expect(image.count > 40_000, "\(image.count) bytes")
    }
}
