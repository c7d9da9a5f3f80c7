import Foundation
import Testing

@testable import Health

/// A deterministic noise source: the same history on every run.
private struct Noise {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D

    /// A value in -1...1.
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
}

/// Thirty nightly batches from 2026-09-15: id_match drifting slowly down with noise and one
/// injected drop (batch 27, Monday 2026-10-12), completeness drifting up, sync lag and rejects noisy,
/// and National Day week (2026-10-01…07) quiet: a sixth of the rows, few rejects. The calendar
/// lists the week and a make-up working day (2026-09-20).
private func syntheticHistory(dropAt drop: Int = 27) -> [BatchFigures] {
    var noise = Noise()
    return (0..<30).map { index in
        let day = Calendar(identifier: .gregorian).date(byAdding: .day, value: index, to: start)!
        let holiday = (16...22).contains(index)
        var idMatch = 0.93 - 0.001 * Double(index) + 0.004 * noise.next()
        if index == drop { idMatch = 0.81 }
        let values = [
            "id_match": idMatch,
            "id_match.crm": idMatch + 0.002 * noise.next(),
            "completeness": 0.62 + 0.0005 * Double(index) + 0.003 * noise.next(),
            "completeness.owner": 0.9 + 0.003 * noise.next(),
            "sync_lag_24h": 0.10 + 0.01 * noise.next(),
            "rows_read.crm": (holiday ? 150 : 1000) + (30 * noise.next()).rounded(),
            "rejects.no_identifier": (holiday ? 2 : 20) + (3 * noise.next()).rounded(),
        ]
        return BatchFigures(batchID: "batch-\(index)", asOf: stored(day), values: values)
    }
}

private let start = ISO8601DateFormatter().date(from: "2026-09-14T19:00:00Z")!  // 2026-09-15 03:00 in Shanghai

private func stored(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
    return formatter.string(from: date)
}

private let nationalDay: AnomalyOptions = {
    var options = AnomalyOptions()
    options.holidays = Set((1...7).map { String(format: "2026-10-%02d", $0) } + ["2026-09-20"])
    return options
}()

@Suite struct AnomalyDetectorTests {
    @Test func theDropAlertsAndTheDriftTheNoiseAndTheHolidayDoNot() {
        let judged = AnomalyDetector(options: nationalDay).backtest(syntheticHistory())
        let alerted = judged.filter { !$0.anomalies.isEmpty }
        #expect(alerted.map(\.batchID) == ["batch-27"], "\(alerted.map { ($0.batchID, $0.anomalies.map { $0.line(.english) }) })")
        #expect(alerted.first?.anomalies.map(\.metric) == ["id_match", "id_match.crm"])
        let drop = alerted.first?.anomalies.first
        #expect(drop?.direction == .down && (drop?.median ?? 0) > 0.88)
        #expect(judged.filter(\.holiday).count == 8)
    }

    @Test func withoutTheCalendarTheQuietHolidayIsAnAnomaly() {
        let judged = AnomalyDetector(options: AnomalyOptions()).backtest(syntheticHistory())
        let first = judged[16].anomalies.map(\.metric)
        #expect(first.contains("rows_read.crm"), "\(judged[16].anomalies.map { $0.line(.english) })")
    }

    @Test func notEnoughHistoryIsLearningNeverASilentPass() {
        let judged = AnomalyDetector(options: nationalDay).backtest(syntheticHistory(dropAt: 3))
        #expect(judged[3].summary(.english) == "learning, 3 of 7 batches")
        #expect(judged[3].summary(.chinese) == "学习中，已有 3 批，需 7 批")
        #expect(!judged[3].judged)
        #expect(judged[3].anomalies.isEmpty)
        // Batch 5 is a make-up working day: the baseline of batch 7 has six batches, of batch 8 seven.
        #expect(judged[8].judgements.allSatisfy { $0.state != .learning })
    }

    @Test(arguments: [
        ("id_match", 0.905, false),  // within the 0.02 floor of a steady 0.92
        ("id_match", 0.89, true),
        ("id_match", 0.99, false),  // better is no anomaly
        ("sync_lag_24h", 0.95, true),
        ("rows_read.crm", 1200, false),  // within 25 % of 1000
        ("rows_read.crm", 480, true),  // half the usual rows
        ("rejects.malformed", 4, false),  // from none to 4: fewer than 5 rows
    ])
    func floorsAndDirections(metric: String, value: Double, alerts: Bool) {
        let steady: Double =
            switch metric {
            case "rows_read.crm": 1000
            case "rejects.malformed": 0
            case "sync_lag_24h": 0.1
            default: 0.92
            }
        let judgement = AnomalyDetector(options: AnomalyOptions()).judge(
            metric, value: value, baseline: Array(repeating: steady, count: 10))
        #expect((judgement.state == .anomaly) == alerts, "\(judgement.line)")
    }

    @Test func aSourceNewToTheHistoryLearnsWhileTheOthersAreJudged() {
        var history = (0..<10).map {
            BatchFigures(batchID: "b\($0)", asOf: "2026-11-\(10 + $0)T03:00:00+08:00", values: ["id_match": 0.9])
        }
        history[9].values["rows_read.erp"] = 500
        let latest = AnomalyDetector(options: AnomalyOptions()).judgeLatest(history)
        #expect(latest?.summary(.english) == "none (1 figure within its band, 1 still learning)")
        #expect(latest?.summary(.chinese) == "无（1 项指标在正常区间内，1 项仍在学习）")
    }

    @Test func onlyTheMetricsThePipelineNamesFail() {
        var options = nationalDay
        options.failOn = ["rows_read"]
        let drop = AnomalyDetector(options: options).backtest(syntheticHistory())[27]
        #expect(!drop.fails)
        options.failOn = ["id_match"]
        #expect(AnomalyDetector(options: options).backtest(syntheticHistory())[27].fails)
    }
}

@Suite struct AnomalyAlertTests {
    func event(status: HealthStatus, anomalies: [AnomalyJudgement]) -> AlertEvent {
        AlertEvent(
            status: status, pipeline: "nightly", batchID: "b-1", asOf: "2026-11-22T03:00:00+08:00",
            metrics: [MetricResult(name: .idMatch, value: 0.81, threshold: Threshold(fail: 0.6))], systems: [],
            summaryJSON: "{}", anomalies: anomalies)
    }

    let drop = AnomalyJudgement(
        metric: "id_match", state: .anomaly, value: 0.81, direction: .down, median: 0.93, low: 0.91, high: 0.95, history: 14,
        needed: 7, fails: false)

    @Test func anAnomalySendsOnlyToTheSinksThatAskForIt() {
        var anomaly = AlertConfig(kind: .wecom, url: "https://qyapi.weixin.qq.com/x", on: [], timeout: 1, retries: 0, backoff: 0)
        anomaly.onAnomaly = true
        let failOnly = AlertConfig(
            kind: .dingtalk, url: "https://oapi.dingtalk.com/x", on: [.fail], timeout: 1, retries: 0, backoff: 0)
        let payloads = Alerts.payloads(event(status: .ok, anomalies: [drop]), in: .en, to: [anomaly, failOnly])
        #expect(payloads.map(\.sink) == [.wecom])
        let text = payloads.first?.text ?? ""
        #expect(text.hasPrefix("### crmbridge nightly: ANOMALY"))
        #expect(text.contains("- anomaly: id_match 0.8100, usually 0.9300 (0.9100–0.9500)"))
        #expect(Alerts.payloads(event(status: .ok, anomalies: []), in: .en, to: [anomaly, failOnly]).isEmpty)
    }
}
