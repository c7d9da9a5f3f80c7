import Health
import Transform

extension BatchFigures {
    /// A batch's figures from its run summary, named as `BatchFigures(StoredBatch)` names what
    /// the store keeps: a dry run is judged from these, as the store never holds its batch.
    init(summary: RunSummary) {
        var values: [String: Double] = [:]
        for metric in summary.metrics { values[metric.name.rawValue] = metric.value }
        for (system, value) in summary.idMatchBySystem { values["id_match.\(system)"] = value }
        for (system, value) in summary.syncLagBySystem { values["sync_lag_24h.\(system)"] = value }
        if let completeness = summary.completeness {
            for (field, value) in completeness.perField { values["completeness.\(field)"] = value }
            for (system, share) in completeness.bySystem { values["completeness.\(system)"] = share.ratio }
        }
        for system in summary.systems { values["rows_read.\(system)"] = Double(summary.bySystem[system]?.read ?? 0) }
        for reason in RejectReason.allCases {
            values["rejects.\(reason.rawValue)"] = Double(summary.overall.rejectedByReason[reason.rawValue] ?? 0)
        }
        self.init(batchID: summary.batchID, asOf: summary.asOf, values: values)
    }
}
