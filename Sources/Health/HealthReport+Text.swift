import Foundation
import Transform

extension HealthReport {
    /// The report for a terminal: status, the judged metrics, per system, worst fields, rejects.
    package func text(_ strings: Strings) -> String {
        var lines = [strings.healthTitle(store, generatedAt)]
        if let batch = latestBatch {
            lines.append(strings.healthLatestBatch(batch.batchID, batch.pipeline, batch.asOf))
        } else {
            lines.append(strings.healthNoBatch)
        }
        lines.append(strings.healthStatus(strings.statusHeadline(status)))
        for metric in metrics {
            let limits = [
                metric.warn.map { strings.limit(.warn, ratio($0)) }, metric.fail.map { strings.limit(.fail, ratio($0)) },
            ]
            .compactMap { $0 }.joined(separator: ", ")
            let judged = strings.status(metric.status)
            lines.append(
                "  \(pad(strings.metric(metric.name), 14)) \(ratio(metric.value))  [\(judged)]"
                    + (limits.isEmpty ? "" : "\(pad("", 4 - judged.displayWidth))  (\(limits))"))
        }
        lines.append("  " + strings.healthCustomers(customers, completeCustomers, ratio(cellCompleteness)))
        if rowsWithoutUpdatedAt > 0 {
            lines.append("  " + strings.healthRowsWithoutUpdatedAt(rowsWithoutUpdatedAt))
        }
        if !systems.isEmpty {
            lines.append(strings.healthSystemHeader)
            for system in systems {
                lines.append(
                    "  \(pad(system.system, 11))  \(optional(system.idMatch))      \(optional(system.syncLag24h))"
                        + "  \(leftPad(String(system.withoutUpdatedAt), 13))  \(leftPad(String(system.customers), 9))"
                        + "        \(optional(system.completeness))")
            }
        }
        let worst = fields.prefix(5).map { field in
            "\(CanonicalField(rawValue: field.field).map(strings.field) ?? field.field) \(ratio(field.ratio))"
        }
        if !worst.isEmpty { lines.append("  " + strings.healthWorstFields + worst.joined(separator: ", ")) }
        if !rejectsByReason.isEmpty {
            lines.append(
                "  " + strings.healthRejects
                    + rejectsByReason.map { "\(strings.rejectLabel($0.reason)) \($0.count)" }.joined(separator: ", "))
        }
        if let anomalyLine = anomalyLine(strings) { lines.append(anomalyLine) }
        return lines.joined(separator: "\n")
    }

    private func ratio(_ value: Double) -> String { String(format: "%.4f", value) }
    private func optional(_ value: Double?) -> String { value.map(ratio) ?? "     –" }
    private func pad(_ text: String, _ width: Int) -> String { text.padded(to: width) }
    private func leftPad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
