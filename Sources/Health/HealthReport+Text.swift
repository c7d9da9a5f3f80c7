import Foundation

extension HealthReport {
    /// The report for a terminal: status, the judged metrics, per system, worst fields, rejects.
    package var text: String {
        var lines = ["crmbridge health · \(store) · \(generatedAt)"]
        if let batch = latestBatch {
            lines.append("latest batch \(batch.batchID) · pipeline \(batch.pipeline) · as of \(batch.asOf)")
        } else {
            lines.append("no batch in the store yet: id_match and sync_lag_24h need a run")
        }
        lines.append("status: \(status.rawValue.uppercased())")
        for metric in metrics {
            let limits = [metric.warn.map { "warn \(ratio($0))" }, metric.fail.map { "fail \(ratio($0))" }]
                .compactMap { $0 }.joined(separator: ", ")
            lines.append(
                "  \(pad(metric.name.rawValue, 14)) \(ratio(metric.value))  [\(metric.status.rawValue)]"
                    + (limits.isEmpty ? "" : "\(pad("", 4 - metric.status.rawValue.count))  (\(limits))"))
        }
        lines.append(
            "  customers \(customers), complete \(completeCustomers), cell-level completeness \(ratio(cellCompleteness))")
        if rowsWithoutUpdatedAt > 0 {
            lines.append("  rows without updated_at (not in sync_lag_24h): \(rowsWithoutUpdatedAt)")
        }
        if !systems.isEmpty {
            lines.append("  system       id_match  sync_lag_24h  no_updated_at  customers  completeness")
            for system in systems {
                lines.append(
                    "  \(pad(system.system, 11))  \(optional(system.idMatch))      \(optional(system.syncLag24h))"
                        + "  \(leftPad(String(system.withoutUpdatedAt), 13))  \(leftPad(String(system.customers), 9))"
                        + "        \(optional(system.completeness))")
            }
        }
        let worst = fields.prefix(5).map { "\($0.field) \(ratio($0.ratio))" }
        if !worst.isEmpty { lines.append("  worst fields: " + worst.joined(separator: ", ")) }
        if !rejectsByReason.isEmpty {
            lines.append(
                "  rejects of the latest batch: "
                    + rejectsByReason.map { "\($0.reason) \($0.count)" }.joined(separator: ", "))
        }
        if let anomalyLine { lines.append(anomalyLine) }
        return lines.joined(separator: "\n")
    }

    private func ratio(_ value: Double) -> String { String(format: "%.4f", value) }
    private func optional(_ value: Double?) -> String { value.map(ratio) ?? "     –" }
    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
    private func leftPad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
