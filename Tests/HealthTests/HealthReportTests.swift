import Foundation
import Testing

@testable import Health
@testable import Load

@Suite struct ThresholdTests {
    @Test(arguments: [
        (MetricName.completeness, 0.93, HealthStatus.ok),
        (.completeness, 0.5, .ok),  // at the limit is not below it
        (.completeness, 0.49, .warn),
        (.completeness, 0.19, .fail),
        (.syncLag24h, 0.1127, .ok),
        (.syncLag24h, 0.21, .warn),  // sync lag is better low
        (.syncLag24h, 0.51, .fail),
    ])
    func judgesAgainstWarnAndFail(metric: MetricName, value: Double, status: HealthStatus) {
        let limits = metric.higherIsBetter ? Threshold(warn: 0.5, fail: 0.2) : Threshold(warn: 0.2, fail: 0.5)
        #expect(MetricResult(name: metric, value: value, threshold: limits).status == status)
    }

    @Test func withoutLimitsEverythingIsOK() {
        #expect(MetricResult(name: .idMatch, value: 0, threshold: nil).status == .ok)
    }
}

func report(status: HealthStatus = .ok) -> HealthReport {
    HealthReport(
        generatedAt: "2026-11-23T08:00:00+08:00", store: "/data/crm.sqlite", status: status,
        metrics: [
            MetricResult(name: .completeness, value: 0.18, threshold: Threshold(warn: 0.5, fail: 0.2)),
            MetricResult(name: .idMatch, value: 0.9155, threshold: nil),
            MetricResult(name: .syncLag24h, value: 0.1127, threshold: nil),
        ],
        customers: 1200, completeCustomers: 216, cellCompleteness: 0.8,
        fields: [.init(field: "owner", ratio: 0.5, filled: 600)],
        systems: [
            .init(
                system: #"c"r\m"#, idMatch: 0.97, syncLag24h: 0.15, accepted: 34, resolved: 33, withUpdatedAt: 34,
                lagged: 5, withoutUpdatedAt: 0, customers: 31, completeness: nil)
        ],
        latestBatch: .init(
            batchID: "b1", pipeline: "nightly", asOf: "2026-11-22T03:00:00+08:00",
            finishedAt: "2026-11-22T03:01:00+08:00", finishedAtSeconds: 1_763_751_660),
        rowsWithoutUpdatedAt: 0, rejectsByReason: [.init(reason: "malformed", count: 3)],
        rejectsTotal: [.init(reason: "malformed", count: 7)],
        trend: [.init(batchID: "b1", asOf: "2026-11-22T03:00:00+08:00", completeness: 0.18, idMatch: 0.9155, syncLag24h: 0.1127)],
        owners: [
            OwnerScore(
                OwnerCounts(
                    owner: "李娜<", customers: 40, complete: 10, rejects: 10, gapsOpen: 12,
                    gapsListedBefore: 20, gapsClosed: 5))
        ],
        latestGapScan: GapScanSummary(
            scannedAt: "2026-11-22T04:00:00+08:00", customers: 12,
            bySalesGroup: [.init(salesGroup: "华南一组", customers: 12)],
            previousListed: 20, closed: 5, closedWithin48h: 2))
}

@Suite struct OwnerScoreTests {
    @Test func theScoreWeighsCompletenessRejectsAndClosedGaps() {
        // 60 × 10/40 + 20 × (1 − 10/50) + 20 × 5/20 = 15 + 16 + 5
        #expect(
            OwnerScore(
                OwnerCounts(
                    owner: "a", customers: 40, complete: 10, rejects: 10, gapsOpen: 12,
                    gapsListedBefore: 20, gapsClosed: 5)
            ).score == 36)
        // No earlier list: nothing to hold against the owner.
        #expect(OwnerScore(OwnerCounts(owner: "b", customers: 10, complete: 10, rejects: 0, gapsOpen: 0)).score == 100)
        #expect(
            OwnerScore(
                OwnerCounts(
                    owner: "c", customers: 3, complete: 1, rejects: 0, gapsOpen: 2,
                    gapsListedBefore: 0, gapsClosed: 0)
            ).score == 60)
    }

    @Test func theDashboardListsOwnersAndTheLatestGapScan() {
        let html = report().html(.english)
        #expect(html.contains(#"<tr data-owner="李娜&lt;"><th>李娜&lt;</th><td class="num">36.0</td>"#))
        #expect(html.contains(#"data-gaps="12""#) && html.contains(#"data-closed="5""#))
        #expect(html.contains("were closed, 2 within 48 hours"))
        #expect(html.contains(#"<tr data-group="华南一组">"#))
        #expect(report().json.contains(#""gaps_closed" : 5"#))
    }
}

@Suite struct HealthReportTests {
    @Test func prometheusEscapesLabelsAndPrintsCountsAsIntegers() {
        let text = report().prometheus
        #expect(text.contains(#"crmbridge_id_match_ratio{system="c\"r\\m"} 0.97"#))
        #expect(text.contains("crmbridge_customers 1200\n"))
        #expect(text.contains("crmbridge_last_batch_timestamp_seconds 1763751660\n"))
        #expect(text.contains("crmbridge_rejects_total{reason=\"malformed\"} 7\n"))
        // A system without a completeness value is left out, not written as 0.
        #expect(!text.contains("crmbridge_completeness_ratio{"))
    }

    @Test func theDashboardShowsAFailingMetricInRed() {
        let html = report(status: .fail).html(.english)
        #expect(html.contains(#"<div class="card fail" data-metric="completeness" data-value="0.18" data-status="fail">"#))
        #expect(html.contains(#"<div class="status fail" data-status="fail">FAIL</div>"#))
        #expect(html.contains("c&quot;r\\m"))
        #expect(!html.contains(#"c"r\m"#))
    }

    @Test(arguments: [
        (0.9155, 0.9167, 0.9, 1.0),  // a narrow band: steps of 2.5 %
        (0.1111, 0.5, 0.0, 0.8),
        (0.0, 0.2, 0.0, 0.4),
        (0.18, 0.93, 0.0, 1.0),
        (0.97, 1.0, 0.9, 1.0),  // never above 100 %
    ])
    func trendAxesUseFourRoundSteps(min: Double, max: Double, low: Double, high: Double) {
        let (gotLow, gotHigh) = HealthReport.axis(min: min, max: max)
        #expect(abs(gotLow - low) < 1e-9 && abs(gotHigh - high) < 1e-9, "\(gotLow)…\(gotHigh)")
        #expect(gotLow <= min && gotHigh >= max)
    }

    @Test func thresholdsAreReadBackFromAStoredSummary() {
        let summary =
            #"{"metrics":[{"name":"completeness","value":0.6,"warn":0.5,"fail":0.2,"status":"ok"},{"name":"id_match","value":1,"status":"ok"}]}"#
        func stored(_ summary: String) -> StoredBatch {
            StoredBatch(
                batchID: "b", pipeline: "p", asOf: "", finishedAt: "", summary: summary, metrics: [], rejectsByReason: [:])
        }
        let limits = HealthReport.storedThresholds(stored(summary))
        #expect(limits[.completeness] == Threshold(warn: 0.5, fail: 0.2))
        #expect(limits[.idMatch] == Threshold())
        #expect(HealthReport.storedThresholds(stored("")) == [:])
    }
}
