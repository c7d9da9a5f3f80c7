import Foundation

extension HealthReport {
    /// The node_exporter textfile-collector format: write it to `*.prom` in the collector's
    /// directory (atomically: `--out` writes a temporary file and renames it).
    package var prometheus: String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            guard !samples.isEmpty else { return }
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(Self.number(sample.value))\n" }
        }
        func label(_ name: String, _ value: String) -> String { "{\(name)=\"\(Self.escape(value))\"}" }

        family(
            "crmbridge_completeness_ratio", "gauge",
            "Share of master customers whose required fields are all present and valid (overall, and per source system).",
            [("", metric(.completeness)?.value ?? 1)]
                + systems.compactMap { system in system.completeness.map { (label("system", system.system), $0) } })
        family(
            "crmbridge_cell_completeness_ratio", "gauge", "Filled required cells / all required cells.",
            [("", cellCompleteness)])
        family(
            "crmbridge_field_completeness_ratio", "gauge", "Share of master customers with the field present and valid.",
            fields.map { (label("field", $0.field), $0.ratio) })
        family(
            "crmbridge_id_match_ratio", "gauge",
            "Share of the latest batch's accepted rows resolved to a master customer (overall, and per source system).",
            (metric(.idMatch).map { [("", $0.value)] } ?? [])
                + systems.compactMap { system in system.idMatch.map { (label("system", system.system), $0) } })
        family(
            "crmbridge_sync_lag_24h_ratio", "gauge",
            "Share of the latest batch's accepted rows with updated_at older than 24 hours at load time.",
            (metric(.syncLag24h).map { [("", $0.value)] } ?? [])
                + systems.compactMap { system in system.syncLag24h.map { (label("system", system.system), $0) } })
        family(
            "crmbridge_rows_without_updated_at", "gauge",
            "Accepted rows of the latest batch without updated_at (not counted in sync_lag_24h).",
            latestBatch == nil
                ? []
                : [("", Double(rowsWithoutUpdatedAt))]
                    + systems.map { (label("system", $0.system), Double($0.withoutUpdatedAt)) })
        family("crmbridge_customers", "gauge", "Master customers in the store.", [("", Double(customers))])
        family(
            "crmbridge_health_status", "gauge", "Worst metric status: 0 ok, 1 warn, 2 fail.",
            [("", Double(Self.level(status)))])
        family(
            "crmbridge_metric_status", "gauge", "Status of each metric: 0 ok, 1 warn, 2 fail.",
            metrics.map { (label("metric", $0.name.rawValue), Double(Self.level($0.status))) })
        family(
            "crmbridge_last_batch_timestamp_seconds", "gauge", "When the latest batch finished (Unix time).",
            latestBatch?.finishedAtSeconds.map { [("", $0)] } ?? [])
        // Absent while the headline metrics learn and on holidays: a 0 there would read as all clear.
        let judged = anomalies.flatMap { $0.judged ? $0 : nil }
        family(
            "crmbridge_anomalies", "gauge", "Figures of the latest batch outside their baseline's band (docs/health.md).",
            judged.map { [("", Double($0.anomalies.count))] } ?? [])
        family(
            "crmbridge_anomaly", "gauge", "1 for each figure of the latest batch outside its baseline's band.",
            judged?.anomalies.map { (label("metric", $0.metric), 1) } ?? [])
        family(
            "crmbridge_rejects_total", "counter", "Rejected source rows of every batch, by reason code.",
            rejectsTotal.map { (label("reason", $0.reason), Double($0.count)) })
        return out
    }

    private static func level(_ status: HealthStatus) -> Int {
        switch status {
        case .ok: 0
        case .warn: 1
        case .fail: 2
        }
    }

    /// Integers without a decimal point; ratios in Swift's shortest exact form.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// Label values escape backslash, double quote and newline (exposition format).
    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
