import Foundation
import Load
import Transform

/// The health of a store now: completeness recomputed from the master customers (per system:
/// as the latest batch stored it), id_match and sync_lag_24h from the latest batch's stored metrics, judged against the thresholds, with
/// the trend of the last batches. Its JSON form is a contract (docs/health.md).
package struct HealthReport: Sendable, Codable, Equatable {
    package struct FieldShare: Sendable, Codable, Equatable {
        package var field: String
        package var ratio: Double
        package var filled: Int
    }

    package struct SystemHealth: Sendable, Codable, Equatable {
        package var system: String
        /// From the latest batch; nil when that batch read nothing from the system.
        package var idMatch: Double?
        package var syncLag24h: Double?
        package var accepted: Int
        package var resolved: Int
        package var withUpdatedAt: Int
        package var lagged: Int
        package var withoutUpdatedAt: Int
        /// Customers with a merged record from the system, and the complete share of them, as
        /// the latest batch measured them.
        package var customers: Int
        package var completeness: Double?
    }

    package struct Batch: Sendable, Codable, Equatable {
        package var batchID: String
        package var pipeline: String
        package var asOf: String
        package var finishedAt: String
        /// `finished_at` in seconds since 1970 (Prometheus' last-batch timestamp).
        package var finishedAtSeconds: Double?
    }

    package struct TrendPoint: Sendable, Codable, Equatable {
        package var batchID: String
        package var asOf: String
        package var completeness: Double?
        package var idMatch: Double?
        package var syncLag24h: Double?
    }

    package struct ReasonCount: Sendable, Codable, Equatable {
        package var reason: String
        package var count: Int
    }

    package var generatedAt: String
    package var store: String
    /// The worst status of the metrics.
    package var status: HealthStatus
    /// completeness (now), id_match and sync_lag_24h (latest batch), judged.
    package var metrics: [MetricResult]
    package var customers: Int
    package var completeCustomers: Int
    package var cellCompleteness: Double
    /// Per required field, worst first.
    package var fields: [FieldShare]
    package var systems: [SystemHealth]
    package var latestBatch: Batch?
    package var rowsWithoutUpdatedAt: Int
    /// Rejects of the latest batch, most frequent first.
    package var rejectsByReason: [ReasonCount]
    /// Rejects of every batch in the store, by reason (a counter that only grows).
    package var rejectsTotal: [ReasonCount]
    /// The last batches, oldest first.
    package var trend: [TrendPoint]
    /// Per owner, worst score first (`OwnerScore`).
    package var owners: [OwnerScore]
    /// The latest `crmbridge scan gaps`, if one was made.
    package var latestGapScan: GapScanSummary?
    /// The latest batch judged against its metric history; nil on an empty store.
    package var anomalies: BatchAnomalies? = nil
    /// Per trend point, the band of each headline metric's baseline (none while learning).
    package var anomalyBands: [AnomalyBand] = []

    /// Measures `store`. Without `required` or `thresholds` (no pipeline file given), those the
    /// latest batch ran with apply: its per-field metrics name the required fields and its
    /// summary holds the limits.
    package static func measure(
        _ store: SQLiteStore, required: [CanonicalField]?, thresholds: [MetricName: Threshold]?,
        batches: Int = 30, now: Date = Date(), timeZone: TimeZone = .current, anomalyOptions: AnomalyOptions = AnomalyOptions()
    ) throws -> HealthReport {
        // The trend's batches, and before them enough for the first one's baseline.
        let history = try store.recentBatches(max(batches, 1) + anomalyOptions.window + 30)
        let recent = Array(history.suffix(max(batches, 1)))
        let latest = recent.last
        let latestMetrics = latest?.metrics ?? []
        let storedFields = latestMetrics.filter { $0.metric == StoredMetric.completeness.rawValue && !$0.field.isEmpty }
            .compactMap { CanonicalField(rawValue: $0.field) }
        let fields = required ?? (storedFields.isEmpty ? CanonicalField.coreRequired : storedFields)
        let limits = thresholds ?? latest.map(storedThresholds) ?? [:]
        // Per system needs a pass over the cross-reference (10 s on a million rows): the runner
        // stores it with each batch, so that this stays one scan of the customers.
        let completeness = try Completeness.measure(store, required: fields, bySystem: false, byOwner: false)
        let storedShares = latestMetrics.filter {
            $0.metric == StoredMetric.completeness.rawValue && !$0.system.isEmpty && $0.field.isEmpty
        }
        let shares = Dictionary(
            uniqueKeysWithValues: storedShares.map {
                ($0.system, Completeness.Share(customers: $0.denominator ?? 0, complete: $0.numerator ?? 0))
            })

        var metrics = [MetricResult(name: .completeness, value: completeness.overall, threshold: limits[.completeness])]
        let total = SystemCounts(stored: latestMetrics, system: "")
        if let total {
            metrics.append(MetricResult(name: .idMatch, value: total.idMatch, threshold: limits[.idMatch]))
            metrics.append(MetricResult(name: .syncLag24h, value: total.syncLag24h, threshold: limits[.syncLag24h]))
        }
        let systemNames = Set(latestMetrics.map(\.system).filter { !$0.isEmpty }).sorted()
        let systems = systemNames.map { name in
            let counts = SystemCounts(stored: latestMetrics, system: name)
            let share = shares[name]
            return SystemHealth(
                system: name, idMatch: counts.map(\.idMatch), syncLag24h: counts.map(\.syncLag24h),
                accepted: counts?.accepted ?? 0, resolved: counts?.resolved ?? 0,
                withUpdatedAt: counts?.withUpdatedAt ?? 0, lagged: counts?.lagged ?? 0,
                withoutUpdatedAt: counts?.withoutUpdatedAt ?? 0,
                customers: share?.customers ?? 0, completeness: share?.ratio)
        }
        func ranked(_ counts: [String: Int]) -> [ReasonCount] {
            counts.map { ReasonCount(reason: $0.key, count: $0.value) }
                .sorted { $0.count > $1.count || ($0.count == $1.count && $0.reason < $1.reason) }
        }
        func value(_ metric: StoredMetric, in batch: StoredBatch) -> Double? {
            batch.metrics.first { $0.metric == metric.rawValue && $0.system.isEmpty && $0.field.isEmpty }?.value
        }
        var report = HealthReport(
            generatedAt: TimestampParser(timeZone: timeZone).iso8601(now),
            store: store.path,
            status: metrics.map(\.status).max() ?? .ok,
            metrics: metrics,
            customers: completeness.customers,
            completeCustomers: completeness.complete,
            cellCompleteness: completeness.cellLevel,
            fields: fields.map { field in
                FieldShare(
                    field: field.rawValue, ratio: completeness.perField[field.rawValue] ?? 0,
                    filled: completeness.filledByField[field.rawValue] ?? 0)
            }.sorted { $0.ratio < $1.ratio || ($0.ratio == $1.ratio && $0.field < $1.field) },
            systems: systems,
            latestBatch: latest.map {
                Batch(
                    batchID: $0.batchID, pipeline: $0.pipeline, asOf: $0.asOf, finishedAt: $0.finishedAt,
                    finishedAtSeconds: TimestampParser.instant(ofStored: $0.finishedAt)?.timeIntervalSince1970)
            },
            rowsWithoutUpdatedAt: total?.withoutUpdatedAt ?? 0,
            rejectsByReason: ranked(latest?.rejectsByReason ?? [:]),
            rejectsTotal: ranked(try store.rejectCounts()),
            trend: recent.map {
                TrendPoint(
                    batchID: $0.batchID, asOf: $0.asOf, completeness: value(.completeness, in: $0),
                    idMatch: value(.idMatch, in: $0), syncLag24h: value(.syncLag24h, in: $0))
            },
            owners: try OwnerScore.measure(
                store,
                customers: Dictionary(
                    uniqueKeysWithValues: latestMetrics.filter {
                        $0.metric == StoredMetric.ownerCompleteness.rawValue
                    }.map { ($0.field, (customers: $0.denominator ?? 0, complete: $0.numerator ?? 0)) })),
            latestGapScan: try store.latestGapScan())
        report.judge(history.map(BatchFigures.init), options: anomalyOptions)
        return report
    }

    /// The warn/fail limits a batch ran with, as its stored summary holds them.
    static func storedThresholds(_ batch: StoredBatch) -> [MetricName: Threshold] {
        var limits: [MetricName: Threshold] = [:]
        for metric in batch.limits {
            guard let name = MetricName(rawValue: metric.name) else { continue }
            limits[name] = Threshold(warn: metric.warn, fail: metric.fail)
        }
        return limits
    }

    /// The report as one JSON object: sorted snake_case keys (docs/health.md).
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    package func metric(_ name: MetricName) -> MetricResult? { metrics.first { $0.name == name } }
}
