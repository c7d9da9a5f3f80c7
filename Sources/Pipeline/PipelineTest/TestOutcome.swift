import Foundation
import Health
import Load
import Transform

/// One row a test run produced (a master customer, a reject, an alert…), by column.
package struct ActualRow: Sendable {
    package var values: [String: String]
    /// Where the record came from, for a failure's message: a reject's file and locator, the
    /// source records merged into a customer.
    package var origin: String
}

/// What one test's run produced, in the shape its expectations are written.
package struct TestOutcome: Sendable {
    static let countNames = [
        "read", "merged", "created", "updated", "unchanged", "pending", "rejected", "earlier_pending_linked",
    ]
    /// The columns each list offers, in the order `--update` writes them: the export names, in
    /// every locale.
    static let columns: [String: [String]] = [
        "pending": ["system", "source_id"],
        "rejects": ["system", "file", "locator", "reason", "message", "source_id"],
        "gaps": ["customer_key", "name", "owner", "sales_group", "status", "missing"],
        "stale": StaleScan.columns(.english),
        "alerts": ["sink", "status", "text"],
    ]
    /// The columns `--update` writes when a list names none.
    static let defaultColumns: [String: [String]] = [
        "master": ["phone", "name", "company"],
        "pending": ["system", "source_id"],
        "rejects": ["system", "locator", "reason"],
        "gaps": ["name", "missing"],
        "stale": ["name", "days_since"],
        "alerts": ["sink", "status"],
    ]

    /// Per system ("" for the whole run), the counts by name.
    package var counts: [String: [String: Int]] = [:]
    package var master: [ActualRow] = []
    package var pending: [ActualRow] = []
    package var rejects: [ActualRow] = []
    package var metrics: [String: Double] = [:]
    package var gaps: [ActualRow] = []
    package var stale: [ActualRow] = []
    package var alerts: [ActualRow] = []
    /// Source files the run could not read: each fails the test.
    package var fileErrors: [String] = []
    /// Where each accepted record was read: `SYSTEM SOURCE_ID` → `FILE LOCATOR`.
    var locators: [String: String] = [:]

    func rows(_ list: String) -> [ActualRow] {
        switch list {
        case "master": master
        case "pending": pending
        case "rejects": rejects
        case "gaps": gaps
        case "stale": stale
        default: alerts
        }
    }

    /// The counts and metrics of a run summary.
    mutating func take(_ summary: RunSummary) {
        func named(_ counts: RunSummary.Counts) -> [String: Int] {
            [
                "read": counts.read, "merged": counts.merged, "created": counts.created, "updated": counts.updated,
                "unchanged": counts.unchanged, "pending": counts.pending, "rejected": counts.rejected,
                "earlier_pending_linked": counts.earlierPendingLinked,
            ]
        }
        counts[""] = named(summary.overall)
        for (system, systemCounts) in summary.bySystem { counts[system] = named(systemCounts) }
        for metric in summary.metrics { metrics[metric.name.rawValue] = metric.value }
        metrics["rows_without_updated_at"] = Double(summary.rowsWithoutUpdatedAt)
        for (system, value) in summary.idMatchBySystem { metrics["id_match.\(system)"] = value }
        for (system, value) in summary.syncLagBySystem { metrics["sync_lag_24h.\(system)"] = value }
        if let completeness = summary.completeness {
            metrics["completeness_cells"] = completeness.cellLevel
            for (field, value) in completeness.perField { metrics["completeness.\(field)"] = value }
            for (system, share) in completeness.bySystem { metrics["completeness.\(system)"] = share.ratio }
        }
        alerts = summary.capturedAlerts.map { alert in
            var values = ["sink": alert.sink.rawValue, "status": alert.status.rawValue]
            values["text"] = alert.text
            return ActualRow(values: values, origin: "the \(alert.sink.rawValue) alert")
        }
        locators = summary.locators
        fileErrors = summary.fileErrors.map {
            "\($0.system): \(URL(fileURLWithPath: $0.path).lastPathComponent): \($0.error ?? "")"
        }
    }

    /// The master customers, pending records and rejects the store holds, and the scans.
    mutating func read(_ store: any MasterStore, config: PipelineConfig, asOf: Date, staleDays: Int?) throws {
        var sources: [String: [String]] = [:]
        try table(.xref, of: store) { row in
            let record = "\(row["source_system"] ?? "") \(row["source_id"] ?? "")"
            let origin = locators[record].map { "\(record) at \($0)" } ?? record
            if row["state"] == "pending" {
                pending.append(
                    ActualRow(
                        values: ["system": row["source_system"] ?? "", "source_id": row["source_id"] ?? ""], origin: origin))
            } else {
                sources[row["customer_key"] ?? "", default: []].append(origin)
            }
        }
        func origin(_ key: String) -> String {
            sources[key].map { "from " + $0.joined(separator: ", ") } ?? "customer \(key.prefix(12)), no source record"
        }
        try table(.master, of: store) { row in
            var values = row
            values["phone"] = row["phone_e164"]
            values["landline"] = row["landline_e164"]
            master.append(ActualRow(values: values, origin: origin(row["customer_key"] ?? "")))
        }
        try table(.rejects, of: store) { row in
            let file = URL(fileURLWithPath: row["source_file"] ?? "").lastPathComponent
            let values = [
                "system": row["source_system"] ?? "", "file": file, "locator": row["locator"] ?? "",
                "reason": row["reason_code"] ?? "", "message": row["reason"] ?? "", "source_id": row["source_id"] ?? "",
            ]
            rejects.append(ActualRow(values: values, origin: "\(file) \(row["locator"] ?? "")"))
        }
        let scan = try GapScan(fields: config.gapFields, activeStatuses: config.activeStatuses).run(store, previous: nil)
        gaps = scan.gaps.map { gap in
            let values = [
                "customer_key": gap.key.hex, "name": gap.name, "owner": gap.owner, "sales_group": gap.salesGroup,
                "status": gap.status, "missing": gap.missing.map(\.rawValue).joined(separator: ", "),
            ]
            return ActualRow(values: values, origin: origin(gap.key.hex))
        }
        if let staleDays {
            stale = try StaleScan(days: staleDays, activeStatuses: config.activeStatuses, at: asOf).run(store).map { customer in
                let values = [
                    "customer_key": customer.key.hex, "name": customer.name, "owner": customer.owner,
                    "sales_group": customer.salesGroup, "status": customer.status, "last_contact_at": customer.lastContactAt,
                    "days_since": customer.daysSince.map(String.init) ?? "",
                ]
                return ActualRow(values: values, origin: origin(customer.key.hex))
            }
        }
    }

    /// Every row of an export table, by its column names.
    private func table(_ table: ExportTable, of store: any MasterStore, _ body: ([String: String]) -> Void) throws {
        var header: [String]?
        try store.export(table) { row in
            guard let columns = header else {
                header = row
                return
            }
            body(Dictionary(zip(columns, row), uniquingKeysWith: { first, _ in first }))
        }
    }
}
