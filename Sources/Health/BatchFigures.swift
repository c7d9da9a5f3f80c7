import Foundation
import Load
import Transform

/// The figures of one stored batch that anomaly detection follows, by name: the headline
/// metrics (`completeness`, `id_match`, `sync_lag_24h`), per system (`id_match.crm`,
/// `sync_lag_24h.crm`, `completeness.crm`), per field (`completeness.phone`), rejects per reason
/// (`rejects.no_identifier`) and rows read per source (`rows_read.crm`).
package struct BatchFigures: Sendable, Equatable {
    package var batchID: String
    package var asOf: String
    package var values: [String: Double]

    package init(batchID: String, asOf: String, values: [String: Double]) {
        self.batchID = batchID
        self.asOf = asOf
        self.values = values
    }

    package init(_ batch: StoredBatch) {
        var values: [String: Double] = [:]
        for row in batch.metrics {
            switch StoredMetric(rawValue: row.metric) {
            case .completeness?, .idMatch?, .syncLag24h?:
                let scope = [row.system, row.field].first { !$0.isEmpty }
                values[scope.map { "\(row.metric).\($0)" } ?? row.metric] = row.value
            default: continue
            }
        }
        // A reason or a source absent from a batch that read its systems counts as zero:
        // a source that sent nothing is the anomaly most worth seeing.
        let summary = try? JSONDecoder().decode(StoredSummary.self, from: Data(batch.summary.utf8))
        for system in summary?.systems ?? [] { values["rows_read.\(system)"] = 0 }
        for (system, counts) in summary?.bySystem ?? [:] { values["rows_read.\(system)"] = Double(counts.read) }
        if summary != nil { for reason in RejectReason.allCases { values["rejects.\(reason.rawValue)"] = 0 } }
        for (reason, count) in batch.rejectsByReason { values["rejects.\(reason)"] = Double(count) }
        self.init(batchID: batch.batchID, asOf: batch.asOf, values: values)
    }

    /// What the runner stores as the batch summary, as far as the figures need it.
    private struct StoredSummary: Decodable {
        struct Counts: Decodable { var read: Int }
        var systems: [String]?
        var bySystem: [String: Counts]?

        enum CodingKeys: String, CodingKey {
            case systems
            case bySystem = "by_system"
        }
    }
}

extension String {
    /// Counts (rejects, rows read) have a relative floor; ratios an absolute one.
    var isCountMetric: Bool { hasPrefix("rejects.") || hasPrefix("rows_read.") }
}
