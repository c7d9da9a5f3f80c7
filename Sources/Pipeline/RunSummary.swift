import Foundation
import Health
import Transform

/// What a run did, per source system and overall; printed as text, or as JSON with `--json`.
public struct RunSummary: Sendable, Codable {
    public struct FileEntry: Sendable, Codable {
        public var system: String
        public var path: String
        /// `loaded`, `skipped` (already loaded by `loadedBy`) or `failed`.
        public var status: String
        public var records: Int
        public var loadedBy: String?
        public var error: String?
    }

    public struct Counts: Sendable, Codable, Equatable {
        public var read = 0
        public var merged = 0
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        public var pending = 0
        public var rejected = 0
        public var rejectedByReason: [String: Int] = [:]
        /// Pending records of earlier batches linked by this one (not part of `read`).
        public var earlierPendingLinked = 0
        /// Date values of accepted rows refused and left empty, by reason (`ambiguous`,
        /// `unrecognized`, `out_of_range`; placeholders such as 无 are not counted): a date
        /// lost this way would otherwise go unseen.
        public var refusedDates: [String: Int] = [:]

        public var balanced: Bool { read == merged + pending + rejected }

        mutating func add(_ other: Counts) {
            read += other.read
            merged += other.merged
            created += other.created
            updated += other.updated
            unchanged += other.unchanged
            pending += other.pending
            rejected += other.rejected
            earlierPendingLinked += other.earlierPendingLinked
            rejectedByReason.merge(other.rejectedByReason, uniquingKeysWith: +)
            refusedDates.merge(other.refusedDates, uniquingKeysWith: +)
        }
    }

    public var batchID: String
    public var pipeline: String
    public var store: String
    public var asOf: String
    public var dryRun: Bool
    public var seconds: Double
    public var rowsPerSecond: Double
    public var files: [FileEntry] = []
    public var systems: [String] = []
    public var bySystem: [String: Counts] = [:]
    public var overall = Counts()
    public var metrics: [MetricResult] = []
    public var idMatchBySystem: [String: Double] = [:]
    public var syncLagBySystem: [String: Double] = [:]
    public var rowsWithoutUpdatedAt = 0
    public var completeness: Completeness?
    public var health: HealthStatus = .ok
    /// Alerts sent after the commit (none on a dry run).
    public var alerts: [AlertOutcome] = []

    public var undeliveredAlerts: [AlertOutcome] { alerts.filter { !$0.delivered } }

    public var fileErrors: [FileEntry] { files.filter { $0.status == "failed" } }

    /// The summary for a terminal.
    public var text: String {
        var lines: [String] = []
        let mode = dryRun ? " (dry run: nothing written)" : ""
        lines.append("batch \(batchID) · pipeline \(pipeline) · as of \(asOf)\(mode)")
        for file in files {
            switch file.status {
            case "skipped": lines.append("  skipped \(file.path): already loaded by batch \(file.loadedBy ?? "?") (--force re-reads it)")
            case "failed": lines.append("  FAILED  \(file.path): \(file.error ?? "")")
            default: break
            }
        }
        let header = "  system       read   merged  (new  updated unchanged)  pending  rejected"
        lines.append(header)
        func row(_ name: String, _ c: Counts) -> String {
            func pad(_ value: Int, _ width: Int) -> String {
                let text = String(value)
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            let label = name.count >= 10 ? String(name.prefix(10)) : name + String(repeating: " ", count: 10 - name.count)
            return "  \(label)\(pad(c.read, 7))\(pad(c.merged, 9))  (\(pad(c.created, 4))\(pad(c.updated, 8))\(pad(c.unchanged, 10)))"
                + "\(pad(c.pending, 9))\(pad(c.rejected, 10))"
        }
        for system in systems { lines.append(row(system, bySystem[system] ?? Counts())) }
        lines.append(row("total", overall))
        if !overall.rejectedByReason.isEmpty {
            let reasons = overall.rejectedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  rejected by reason: " + reasons.joined(separator: ", "))
        }
        let refused = systems.compactMap { system -> String? in
            guard let reasons = bySystem[system]?.refusedDates, !reasons.isEmpty else { return nil }
            return "\(system) " + reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        if !refused.isEmpty {
            lines.append("  dates refused and left empty: " + refused.joined(separator: "; "))
            if overall.refusedDates[DateRefusal.ambiguous.rawValue] != nil {
                lines.append("    ambiguous: day or month first (21/11/2026): set date_order: dmy or mdy on the source")
            }
        }
        if overall.earlierPendingLinked > 0 {
            lines.append("  pending records of earlier batches linked now: \(overall.earlierPendingLinked)")
        }
        let check = overall.balanced ? "ok" : "MISMATCH"
        lines.append("  accounting: read \(overall.read) = merged \(overall.merged) + pending \(overall.pending) + rejected \(overall.rejected) (\(check))")
        for metric in metrics {
            let limits = [metric.warn.map { "warn \(format($0))" }, metric.fail.map { "fail \(format($0))" }]
                .compactMap { $0 }.joined(separator: ", ")
            lines.append("  \(metric.name.rawValue): \(format(metric.value)) [\(metric.status.rawValue)]"
                         + (limits.isEmpty ? "" : " (\(limits))"))
        }
        for alert in alerts {
            let outcome = alert.delivered ? "delivered" : "NOT delivered after \(alert.attempts) attempts: \(alert.error ?? "")"
            lines.append("  alert \(alert.sink) \(alert.target): \(outcome)")
        }
        lines.append(String(format: "  %d rows in %.2f s (%.0f rows/s)", overall.read, seconds, rowsPerSecond))
        return lines.joined(separator: "\n")
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    private func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
