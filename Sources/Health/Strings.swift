import Foundation
import Transform

/// The language of the outputs people read (pipeline file `locale`, `--lang`). Machine outputs
/// (JSON keys, Prometheus names, export columns, exit codes, reason codes) never change with it.
package enum Language: String, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en

    /// The people who read crmbridge's reports are Chinese sales teams.
    package static let `default` = Language.zhCN

    package var strings: Strings { self == .zhCN ? .chinese : .english }
}

/// Every text a person reads, in one language: `Strings.chinese` and `Strings.english` are
/// the only places these words are written. Numbers and layouts stay with the renderers.
package struct Strings: Sendable {
    package var language: Language

    // MARK: Names

    /// A canonical field as sales people name it (客户名称, 最近联系日期 …).
    package var field: @Sendable (CanonicalField) -> String
    package var metric: @Sendable (MetricName) -> String
    /// A status inside a sentence or a badge (`ok`, 正常).
    package var status: @Sendable (HealthStatus) -> String
    /// A status on its own (`FAIL`, 失败).
    package var statusHeadline: @Sendable (HealthStatus) -> String
    /// `name: ` before a value.
    package var labelled: @Sendable (String) -> String
    /// What a reject reason code means, shown beside the code (which stays as it is); nil: the
    /// code says it.
    package var rejectReason: @Sendable (String) -> String?
    /// The code with its meaning, in a line of text.
    package var rejectLabel: @Sendable (String) -> String
    package var noSalesGroup: String
    package var noOwner: String

    // MARK: health, as text

    package var healthTitle: @Sendable (_ store: String, _ generatedAt: String) -> String
    package var healthLatestBatch: @Sendable (_ batch: String, _ pipeline: String, _ asOf: String) -> String
    package var healthNoBatch: String
    package var healthStatus: @Sendable (String) -> String
    /// `warn 0.9000` in a metric's list of limits.
    package var limit: @Sendable (HealthStatus, String) -> String
    package var healthCustomers: @Sendable (_ customers: Int, _ complete: Int, _ cellLevel: String) -> String
    package var healthRowsWithoutUpdatedAt: @Sendable (Int) -> String
    /// The header of the per-system table, aligned with its rows.
    package var healthSystemHeader: String
    package var healthWorstFields: String
    package var healthRejects: String

    // MARK: health, as the HTML dashboard

    package var htmlTitle: @Sendable (String) -> String
    package var htmlStore: String
    package var htmlHeading: String
    package var htmlNoBatchHeadline: @Sendable (_ customers: String) -> String
    package var htmlHeadline: @Sendable (_ pipeline: String, _ asOf: String, _ batch: String) -> String
    package var htmlScopeCompleteness: @Sendable (_ customers: Int) -> String
    package var htmlScopeBatch: String
    package var htmlNoThresholds: String
    package var htmlMasterCustomers: String
    package var htmlCustomersDetail: @Sendable (_ complete: String, _ cellLevel: String) -> String
    package var htmlRejectsInBatch: @Sendable (String) -> String
    package var htmlTrend: String
    package var htmlTrendHint: @Sendable (Int) -> String
    package var htmlTrendLabel: @Sendable (String) -> String
    package var htmlNoTrend: String
    package var htmlSystems: String
    package var htmlLatestBatch: String
    package var htmlNoSystems: String
    package var htmlSystemColumns: [String]
    package var htmlRejects: String
    package var htmlNoRejects: String
    package var htmlRejectColumns: [String]
    package var htmlFields: String
    package var htmlFieldsHint: String
    package var htmlMissing: @Sendable (String) -> String
    package var htmlOwners: String
    package var htmlOwnersHint: String
    package var htmlNoOwners: String
    package var htmlOwnerColumns: [String]
    package var htmlGapScan: String
    package var htmlGapScanHint: String
    /// Holds `<code>` markup: written here as HTML.
    package var htmlNoGapScan: String
    package var htmlGapFollowUp: @Sendable (_ listed: String, _ closed: String, _ within: String) -> String
    package var htmlGapList: @Sendable (_ customers: String, _ scannedAt: String) -> String
    package var htmlGapColumns: [String]
    /// The footer's definitions, HTML (the count of rows without updated_at is its argument).
    package var htmlDefinitions: @Sendable (String) -> String
    package var htmlGenerated: @Sendable (_ at: String, _ store: String) -> String

    // MARK: robot messages for a batch's health

    package var alertTitle: @Sendable (_ pipeline: String, _ state: String) -> String
    /// A batch's state when its metrics are ok but some left their bands.
    package var anomalyHeadline: String
    package var anomaly: String

    // MARK: anomalies in the metric history (run summary, health, dashboard)

    package var anomalies: String
    package var anomaliesTitle: String
    package var anomaliesHint: String
    package var anomalyHoliday: String
    /// The headline metrics have `history` batches of the `needed` a baseline takes.
    package var anomalyLearning: @Sendable (_ history: Int, _ needed: Int) -> String
    /// No anomaly: `judged` figures within their bands, `learning` still learning.
    package var anomalyNone: @Sendable (_ judged: Int, _ learning: Int) -> String
    /// One figure outside its band: value, usual value (the median) and the band.
    package var anomalyFigure:
        @Sendable (_ metric: String, _ value: String, _ usual: String, _ low: String, _ high: String) -> String
    package var anomalySeparator: String
    package var anomalyUsually: @Sendable (String) -> String
    package var alertLimit: @Sendable (String) -> String
    package var alertSystem: @Sendable (_ system: String, _ idMatch: String, _ syncLag: String) -> String
    package var alertBatch: @Sendable (_ batch: String, _ asOf: String) -> String

    // MARK: the run's text summary

    package var runHeadline: @Sendable (_ batch: String, _ pipeline: String, _ asOf: String, _ dryRun: Bool) -> String
    package var runSkipped: @Sendable (_ path: String, _ batch: String) -> String
    package var runFailedFile: @Sendable (_ path: String, _ error: String) -> String
    /// The header of the per-system counts, aligned with its rows.
    package var runHeader: String
    package var runTotal: String
    package var runRejectedByReason: String
    package var runRefusedDates: String
    package var runAmbiguousHint: String
    package var runEarlierPending: @Sendable (Int) -> String
    package var runAccounting: @Sendable (_ read: Int, _ merged: Int, _ pending: Int, _ rejected: Int, _ balanced: Bool) -> String
    package var runAlert:
        @Sendable (_ sink: String, _ target: String, _ delivered: Bool, _ attempts: Int, _ error: String) -> String
    /// Where the run's time went: the files (reading and merging, `merge` the store's part of
    /// it), then the pending pass, the index rebuild, the metrics and the commit; seconds.
    package var runTimings:
        @Sendable (
            _ files: Double, _ merge: Double, _ pendingLinks: Double, _ indexRebuild: Double, _ metrics: Double,
            _ commit: Double
        ) -> String
    package var runSpeed: @Sendable (_ rows: Int, _ seconds: Double, _ perSecond: Double) -> String
    package var runWait: @Sendable (_ seconds: Double, _ readAhead: Int) -> String

    // MARK: scans

    package var gapsSheet: String
    package var gapsSummarySheet: String
    package var staleSheet: String
    package var differencesSheet: String
    package var customerKey: String
    package var missing: String
    /// Between the items of a list in one cell (`last_contact_at,next_followup_plan`).
    package var listSeparator: String
    package var mobile: String
    /// The column of a system's own customer number.
    package var systemID: @Sendable (String) -> String
    package var daysSince: String
    package var fieldColumn: String
    package var deadline: String
    package var differenceValues: String
    package var summaryColumns: [String]
    package var summaryScannedAt: String
    package var summaryActive: String
    package var summaryWithGaps: String
    package var summaryPreviousScan: String
    package var summaryPreviousListed: String
    package var summaryClosed: String
    package var summaryClosedWithin48h: String
    package var summaryOverdue: String
    package var summaryGroupColumns: [String]
    /// Owner, open gaps, then (after a earlier scan) closed in time, closed late, overdue.
    package var summaryOwnerColumns: [String]
    package var gapsLine: @Sendable (_ gaps: Int, _ active: Int) -> String
    package var gapsFollowUpLine: @Sendable (_ previous: String, _ closed: Int, _ listed: Int, _ within: Int) -> String
    package var gapsOverdueLine: @Sendable (Int) -> String
    package var staleLine: @Sendable (_ customers: Int, _ days: Int) -> String
    package var consistencyLine:
        @Sendable (
            _ sampled: Int, _ eligible: Int, _ systems: String, _ differ: Int, _ compared: Int, _ rate: String, _ limit: String
        ) -> String

    // MARK: robot messages of the scans

    package var noticeOwnerTitle: @Sendable (_ owner: String) -> String
    package var noticeOwnerBody: @Sendable (_ gaps: Int, _ deadline: String) -> String
    package var noticeOwnerFollowUp: @Sendable (_ inTime: Int, _ late: Int, _ overdue: Int) -> String
    package var noticeUnmappedTitle: String
    package var noticeUnmappedBody: String
    package var noticeUnmappedOwner: @Sendable (_ owner: String, _ gaps: Int) -> String
    package var noticeCompanyContact: @Sendable (_ company: String, _ contact: String) -> String
    package var noticeGap: @Sendable (_ customer: String, _ mobile: String, _ missing: String) -> String
    package var noticeMore: @Sendable (Int) -> String
    package var noticeSummaryTitle: String
    package var noticeSummaryBody: @Sendable (_ gaps: Int, _ active: Int, _ deadline: String) -> String
    package var noticeGroupLine: @Sendable (_ group: String, _ gaps: Int) -> String
    package var noticeSummaryFollowUp:
        @Sendable (_ previous: String, _ listed: Int, _ closed: Int, _ within: Int, _ overdue: Int) -> String
    package var noticesSent: @Sendable (_ messages: Int, _ robots: Int) -> String
    package var noticeNotDelivered: @Sendable (_ sink: String, _ target: String, _ attempts: Int, _ error: String) -> String
    package var consistencyTitle: @Sendable (_ systems: String) -> String
    package var consistencyBody:
        @Sendable (_ sampled: Int, _ differ: Int, _ compared: Int, _ rate: String, _ limit: String) -> String
    package var consistencyFieldLine: @Sendable (_ field: String, _ differences: Int) -> String
    package var consistencyExamples: String
    package var consistencyExample: @Sendable (_ customer: String, _ field: String, _ values: String) -> String
}
