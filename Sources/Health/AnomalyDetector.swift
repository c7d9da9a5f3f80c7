import Foundation
import Transform

/// How anomalies are judged (pipeline file: `health.anomalies`).
package struct AnomalyOptions: Sendable, Equatable {
    /// Batches in a baseline: the last ones before the judged batch, holidays left out.
    package var window = 14
    /// Fewer baseline batches than this: the metric is still learning, never judged.
    package var minimum = 7
    /// How many robust standard deviations (1.4826 × MAD) from the median alert.
    package var sensitivity = 3.5
    /// Ratios: a change smaller than this never alerts, however steady the history.
    package var floor = 0.02
    /// Counts (rejects, rows read): a change smaller than this share of the median never alerts…
    package var relativeFloor = 0.25
    /// …nor one of fewer than this many rows.
    package var countFloor = 5.0
    /// Days (`yyyy-MM-dd`, the batch's `as_of` in `timeZone`) whose batches are neither judged
    /// nor part of a baseline: public holidays and their make-up working days.
    package var holidays: Set<String> = []
    package var timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// Metrics whose anomaly fails the run and `health` (exit code 3): a name (`id_match`,
    /// `rows_read.crm`) or a family (`rows_read`: every source).
    package var failOn: [String] = []

    package init() {}

    func fails(_ metric: String) -> Bool {
        failOn.contains { metric == $0 || metric.hasPrefix($0 + ".") }
    }
}

/// Which way a metric going is bad news.
package enum AnomalyDirection: String, Sendable, Codable {
    /// Completeness and id_match: a drop.
    case down
    /// Sync lag and rejects: a rise.
    case up
    /// Rows read: a source that sends half its usual rows, or twice them.
    case both

    package init(metric: String) {
        switch metric.split(separator: ".").first.map(String.init) ?? metric {
        case "completeness", "id_match": self = .down
        case "sync_lag_24h", "rejects": self = .up
        default: self = .both
        }
    }
}

/// One metric of one batch judged against its baseline.
package struct AnomalyJudgement: Sendable, Codable, Equatable {
    package enum State: String, Sendable, Codable {
        case normal, anomaly
        /// Fewer baseline batches than `minimum`.
        case learning
    }

    package var metric: String
    package var state: State
    package var value: Double
    package var direction: AnomalyDirection
    /// The baseline: its median and the band outside which a value alerts; nil while learning.
    package var median: Double?
    package var low: Double?
    package var high: Double?
    /// Baseline batches used, and needed.
    package var history: Int
    package var needed: Int
    /// An anomaly of a metric the pipeline fails on.
    package var fails: Bool
}

/// The judgement of one batch: every metric, or none for a holiday.
package struct BatchAnomalies: Sendable, Codable, Equatable {
    package var batchID: String
    package var asOf: String
    /// The batch is on a holiday of the calendar: not judged.
    package var holiday: Bool
    package var judgements: [AnomalyJudgement]

    package var anomalies: [AnomalyJudgement] { judgements.filter { $0.state == .anomaly } }
    package var fails: Bool { anomalies.contains { $0.fails } }

    /// The headline metrics' judgement while they have too few batches for a baseline.
    private var learningHeadline: AnomalyJudgement? {
        judgements.first { $0.state == .learning && !$0.metric.contains(".") }
    }

    /// Whether the batch was judged at all: not on a holiday, nor while the headline metrics learn.
    package var judged: Bool { !holiday && learningHeadline == nil }

    /// "learning, 3 of 7 batches" until the headline metrics have their baseline.
    package func summary(_ strings: Strings) -> String {
        if holiday { return strings.anomalyHoliday }
        if let learning = learningHeadline { return strings.anomalyLearning(learning.history, learning.needed) }
        let found = anomalies
        guard !found.isEmpty else {
            // A source or field new to the history learns while the headline metrics are judged.
            let learning = judgements.filter { $0.state == .learning }.count
            return strings.anomalyNone(judgements.count - learning, learning)
        }
        return found.map { $0.line(strings) }.joined(separator: strings.anomalySeparator)
    }
}

extension AnomalyJudgement {
    /// `id_match 0.8100, usually 0.9300 (0.9100–0.9500)`.
    package func line(_ strings: Strings) -> String {
        let format = metric.isCountMetric ? "%.0f" : "%.4f"
        func text(_ value: Double?) -> String { value.map { String(format: format, $0) } ?? "–" }
        return strings.anomalyFigure(metric, text(value), text(median), text(low), text(high))
    }
}

/// Robust baselines over the metric history: per metric, the median and the median absolute
/// deviation of the last `window` batches before the judged one. Median and MAD, not mean and
/// standard deviation, so that one bad night in the window does not widen the band enough to
/// hide the next one.
package struct AnomalyDetector: Sendable {
    package var options: AnomalyOptions

    package init(options: AnomalyOptions) {
        self.options = options
    }

    /// The latest batch of `history` (oldest first) judged against the ones before it.
    package func judgeLatest(_ history: [BatchFigures]) -> BatchAnomalies? {
        guard !history.isEmpty else { return nil }
        return judge(history.count - 1, in: history)
    }

    /// Every batch of `history` judged against the ones before it, as if each had just run.
    package func backtest(_ history: [BatchFigures]) -> [BatchAnomalies] {
        history.indices.map { judge($0, in: history) }
    }

    package func isHoliday(_ batch: BatchFigures) -> Bool {
        guard !options.holidays.isEmpty, let day = Self.day(of: batch.asOf, in: options.timeZone) else { return false }
        return options.holidays.contains(day)
    }

    func judge(_ index: Int, in history: [BatchFigures]) -> BatchAnomalies {
        let batch = history[index]
        guard !isHoliday(batch) else {
            return BatchAnomalies(batchID: batch.batchID, asOf: batch.asOf, holiday: true, judgements: [])
        }
        let baseline = history[..<index].filter { !isHoliday($0) }.suffix(options.window)
        let judgements = batch.values.keys.sorted().map { metric in
            judge(metric, value: batch.values[metric]!, baseline: baseline.compactMap { $0.values[metric] })
        }
        return BatchAnomalies(batchID: batch.batchID, asOf: batch.asOf, holiday: false, judgements: judgements)
    }

    func judge(_ metric: String, value: Double, baseline: [Double]) -> AnomalyJudgement {
        let direction = AnomalyDirection(metric: metric)
        var judgement = AnomalyJudgement(
            metric: metric, state: .learning, value: value, direction: direction, history: baseline.count,
            needed: options.minimum, fails: false)
        guard baseline.count >= options.minimum else { return judgement }
        let median = Self.median(baseline)
        let mad = Self.median(baseline.map { abs($0 - median) })
        let floor =
            metric.isCountMetric ? max(options.countFloor, options.relativeFloor * abs(median)) : options.floor
        let margin = max(options.sensitivity * 1.4826 * mad, floor)
        judgement.median = median
        judgement.low = median - margin
        judgement.high = median + margin
        let out =
            switch direction {
            case .down: value < median - margin
            case .up: value > median + margin
            case .both: abs(value - median) > margin
            }
        judgement.state = out ? .anomaly : .normal
        judgement.fails = out && options.fails(metric)
        return judgement
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The local day of a stored ISO 8601 time.
    static func day(of iso: String, in zone: TimeZone) -> String? {
        guard let instant = TimestampParser.instant(ofStored: iso) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}
