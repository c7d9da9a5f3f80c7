import Foundation
import Testing

/// Thirty nightly runs of a one-source pipeline from 2026-09-15: about 100 rows a night, id_match
/// drifting slowly down from 0.93 with noise, an injected drop to 0.80 on Monday 2026-10-12
/// (batch 27), and National Day week quiet (20 rows a night). Keyed rows have a mobile and a tax
/// ID; the others a mobile no one else has, so they wait as pending.
private struct History {
    static let dropAt = 27
    let folder: URL
    let pipeline: URL
    let store: URL
    var statuses: [Int32] = []

    init() throws {
        folder = try CLI.scratch()
        pipeline = folder.appendingPathComponent("trend.yml")
        store = folder.appendingPathComponent("trend.sqlite")
        try """
        pipeline: trend
        store: sqlite:trend.sqlite
        key: {demo: true}
        sources:
          - system: crm
            path: input.csv
            id: 客户编号
            updated_at: 更新时间
            fields: {name: 联系人, phone: 手机, tax_id: 统一社会信用代码}
        health:
          anomalies:
            calendar: holidays.yml
            fail: [id_match]
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        try """
        holidays: [2026-10-01..2026-10-07]
        workdays: [2026-09-20]
        """.write(to: folder.appendingPathComponent("holidays.yml"), atomically: true, encoding: .utf8)
        var noise: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            noise = noise &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(noise >> 11) / Double(1 << 53) * 2 - 1
        }
        for night in 0..<30 {
            let day = night < 16 ? String(format: "2026-09-%02d", 15 + night) : String(format: "2026-10-%02d", night - 15)
            let holiday = (16...22).contains(night)
            let rows = holiday ? 20 : 100 + Int((3 * next()).rounded())
            let share = night == Self.dropAt ? 0.80 : 0.93 - 0.001 * Double(night) + 0.008 * next()
            let keyed = Int((Double(rows) * share).rounded())
            var lines = ["客户编号,联系人,手机,统一社会信用代码,更新时间"]
            for row in 0..<rows {
                let phone = (row < keyed ? "139" : "137") + String(format: "%02d%06d", night, row)
                let taxID = row < keyed ? "91350203MA05DFNF2M" : ""
                lines.append("N\(night)-\(row),客户\(row),\(phone),\(taxID),\(day) 01:00:00")
            }
            try (lines.joined(separator: "\n") + "\n").write(
                to: folder.appendingPathComponent("input.csv"), atomically: true, encoding: .utf8)
            let run = try CLI.run(["run", pipeline.path, "--as-of", "\(day)T03:00:00+08:00"])
            statuses.append(run.status)
        }
    }
}

@Suite(.serialized) struct AnomalyBacktestTests {
    @Test func theDropAlertsAndFailsTheRunTheDriftNoiseAndHolidayDoNot() throws {
        let history = try History()
        // Exit 3 for the drop only: the pipeline fails on id_match anomalies.
        let failed = history.statuses.indices.filter { history.statuses[$0] != 0 }
        #expect(failed == [History.dropAt], "\(history.statuses)")
        #expect(history.statuses[History.dropAt] == 3)

        let backtest = try CLI.run(["health", "--pipeline", history.pipeline.path, "--backtest"])
        #expect(backtest.status == 0, "\(backtest.stderr)")
        let alerts = backtest.stdout.split(separator: "\n").filter { $0.hasPrefix("ALERT ") }
        #expect(alerts.count == 1, "\(backtest.stdout)")
        #expect(alerts.first?.hasPrefix("ALERT 2026-10-12T03:00:00+08:00 batch ") == true, "\(backtest.stdout)")
        #expect(alerts.first?.hasSuffix("(fails: exit 3)") == true)
        #expect(backtest.stdout.contains("  id_match 0.7980, usually 0.9"), "\(backtest.stdout)")
        #expect(
            backtest.stdout.contains("1 of 30 batches would have alerted (7 still learning, 8 on holidays)"), "\(backtest.stdout)"
        )

        // A dry run is judged too, from its summary, and leaves the history as it was.
        let input = history.folder.appendingPathComponent("input.csv")
        var rows = ["客户编号,联系人,手机,统一社会信用代码,更新时间"]
        for row in 0..<100 {
            let keyed = row < 70
            rows.append(
                "D-\(row),客户,\(keyed ? "139" : "137")99\(String(format: "%06d", row)),\(keyed ? "91350203MA05DFNF2M" : ""),2026-10-14 01:00:00"
            )
        }
        try (rows.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let dry = try CLI.run(["run", history.pipeline.path, "--as-of", "2026-10-15T03:00:00+08:00", "--dry-run"])
        #expect(dry.status == 3, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("异常检测：id_match 0.7000，通常为 0.9"), "\(dry.stdout)")
        let again = try CLI.run(["health", "--pipeline", history.pipeline.path, "--backtest"])
        #expect(again.stdout == backtest.stdout)

        // Without the calendar the quiet week is news: the backtest lists its first night too.
        let plain = try CLI.run(["health", "--store", "sqlite:\(history.store.path)", "--backtest"])
        #expect(plain.stdout.contains("ALERT 2026-10-01T03:00:00+08:00"), "\(plain.stdout)")
    }

    @Test func healthShowsTheStateTheBandsAndTheAnomalyOfTheLatestBatch() throws {
        let history = try History()
        let json = try CLI.run(["health", "--pipeline", history.pipeline.path, "--format", "json", "--batches", "20"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let anomalies = try #require(report["anomalies"] as? [String: Any])
        #expect(anomalies["holiday"] as? Bool == false)
        let judgements = try #require(anomalies["judgements"] as? [[String: Any]])
        #expect(judgements.contains { $0["metric"] as? String == "rows_read.crm" && $0["state"] as? String == "normal" })
        let bands = try #require(report["anomaly_bands"] as? [[String: Any]])
        #expect(bands.contains { $0["metric"] as? String == "id_match" && $0["anomaly"] as? Bool == true })

        let html = try CLI.run(["health", "--pipeline", history.pipeline.path, "--format", "html", "--batches", "20"])
        #expect(html.stdout.contains("<polygon class=\"band\""))
        #expect(html.stdout.contains("<circle class=\"anomaly\""))
        #expect(html.stdout.contains("data-anomalies=\"0\""))
        let prometheus = try CLI.run(["health", "--pipeline", history.pipeline.path, "--format", "prometheus"])
        #expect(prometheus.stdout.contains("\ncrmbridge_anomalies 0\n"), "\(prometheus.stdout)")
        #expect(!prometheus.stdout.contains("crmbridge_anomaly{"))
        let text = try CLI.run(["health", "--pipeline", history.pipeline.path])
        #expect(text.stdout.contains("异常检测：无（"), "\(text.stdout)")
        let english = try CLI.run(["health", "--pipeline", history.pipeline.path, "--lang", "en"])
        #expect(english.stdout.contains("anomalies: none ("), "\(english.stdout)")
    }

    @Test func aNewStoreIsLearning() throws {
        let scratch = try CLI.scratch()
        let pipeline = try demoPipeline(in: scratch)
        let run = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("异常检测：学习中，已有 0 批，需 7 批"), "\(run.stdout)")
        let prometheus = try CLI.run(["health", "--pipeline", pipeline.path, "--format", "prometheus"])
        #expect(!prometheus.stdout.contains("crmbridge_anomalies"), "learning is no all-clear: \(prometheus.stdout)")
    }
}
