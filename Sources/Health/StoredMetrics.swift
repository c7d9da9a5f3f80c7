import Load

/// The names under which a batch's metrics land in the `metrics` table (docs/health.md).
package enum StoredMetric: String, Sendable, CaseIterable {
    case completeness
    /// Filled required cells / all required cells.
    case completenessCells = "completeness_cells"
    case idMatch = "id_match"
    case syncLag24h = "sync_lag_24h"
    /// Accepted rows without `updated_at`: not part of sync_lag_24h, counted apart.
    case rowsWithoutUpdatedAt = "rows_without_updated_at"
    /// Completeness of one owner's customers; the owner's name is in `field`.
    case ownerCompleteness = "owner_completeness"
}

extension MetricRow {
    /// The rows a batch stores: completeness overall, cell-level, per field and per system;
    /// id_match, sync_lag_24h and rows without `updated_at`, overall and per system.
    package static func rows(completeness: Completeness, systems: [String: SystemCounts]) -> [MetricRow] {
        var rows = [
            MetricRow(
                metric: StoredMetric.completeness.rawValue, value: completeness.overall,
                numerator: completeness.complete, denominator: completeness.customers),
            MetricRow(
                metric: StoredMetric.completenessCells.rawValue, value: completeness.cellLevel,
                numerator: completeness.filledCells, denominator: completeness.customers * completeness.perField.count),
        ]
        for (field, filled) in completeness.filledByField.sorted(by: { $0.key < $1.key }) {
            rows.append(
                MetricRow(
                    metric: StoredMetric.completeness.rawValue, field: field,
                    value: completeness.perField[field] ?? 0, numerator: filled,
                    denominator: completeness.customers))
        }
        for (system, share) in completeness.bySystem.sorted(by: { $0.key < $1.key }) {
            rows.append(
                MetricRow(
                    metric: StoredMetric.completeness.rawValue, system: system, value: share.ratio,
                    numerator: share.complete, denominator: share.customers))
        }
        for (owner, share) in completeness.byOwner.sorted(by: { $0.key < $1.key }) {
            rows.append(
                MetricRow(
                    metric: StoredMetric.ownerCompleteness.rawValue, field: owner, value: share.ratio,
                    numerator: share.complete, denominator: share.customers))
        }
        let total = systems.values.reduce(SystemCounts(), +)
        for (system, counts) in [("", total)] + systems.sorted(by: { $0.key < $1.key }) {
            rows.append(
                MetricRow(
                    metric: StoredMetric.idMatch.rawValue, system: system, value: counts.idMatch,
                    numerator: counts.resolved, denominator: counts.accepted))
            rows.append(
                MetricRow(
                    metric: StoredMetric.syncLag24h.rawValue, system: system, value: counts.syncLag24h,
                    numerator: counts.lagged, denominator: counts.withUpdatedAt))
            rows.append(
                MetricRow(
                    metric: StoredMetric.rowsWithoutUpdatedAt.rawValue, system: system,
                    value: Double(counts.withoutUpdatedAt), numerator: counts.withoutUpdatedAt,
                    denominator: counts.accepted))
        }
        return rows
    }
}

extension SystemCounts {
    /// Reads back what `MetricRow.rows` stored for one system ("" = overall).
    init?(stored rows: [MetricRow], system: String) {
        func row(_ metric: StoredMetric) -> MetricRow? {
            rows.first { $0.metric == metric.rawValue && $0.system == system && $0.field.isEmpty }
        }
        guard let idMatch = row(.idMatch), let lag = row(.syncLag24h) else { return nil }
        self.init()
        accepted = idMatch.denominator ?? 0
        resolved = idMatch.numerator ?? 0
        withUpdatedAt = lag.denominator ?? 0
        lagged = lag.numerator ?? 0
        withoutUpdatedAt = row(.rowsWithoutUpdatedAt)?.numerator ?? 0
    }
}
