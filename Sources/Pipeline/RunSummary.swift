import Foundation
import Health
import Transform

/// What a run did, per source system and overall; printed as text, or as JSON with `--json`.
package struct RunSummary: Sendable, Codable {
    package struct FileEntry: Sendable, Codable {
        package var system: String
        package var path: String
        /// `loaded`, `skipped` (already loaded by `loadedBy`) or `failed`.
        package var status: String
        package var records: Int
        package var loadedBy: String?
        package var error: String?
    }

    package struct Counts: Sendable, Codable, Equatable {
        package var read = 0
        package var merged = 0
        package var created = 0
        package var updated = 0
        package var unchanged = 0
        package var pending = 0
        package var rejected = 0
        package var rejectedByReason: [String: Int] = [:]
        /// Pending records of earlier batches linked by this one (not part of `read`).
        package var earlierPendingLinked = 0
        /// Date values of accepted rows refused and left empty, by reason (`ambiguous`,
        /// `unrecognized`, `out_of_range`; placeholders such as 无 are not counted): a date
        /// lost this way would otherwise go unseen.
        package var refusedDates: [String: Int] = [:]

        package var balanced: Bool { read == merged + pending + rejected }

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

    package var batchID: String
    package var pipeline: String
    package var store: String
    package var asOf: String
    package var dryRun: Bool
    package var seconds: Double
    package var rowsPerSecond: Double
    package var files: [FileEntry] = []
    package var systems: [String] = []
    package var bySystem: [String: Counts] = [:]
    package var overall = Counts()
    package var metrics: [MetricResult] = []
    package var idMatchBySystem: [String: Double] = [:]
    package var syncLagBySystem: [String: Double] = [:]
    package var rowsWithoutUpdatedAt = 0
    package var completeness: Completeness?
    package var health: HealthStatus = .ok
    /// Alerts sent after the commit (none on a dry run).
    package var alerts: [AlertOutcome] = []
    /// The batch judged against its metric history (not on a dry run).
    package var anomalies: BatchAnomalies?
    /// Where the run's time went (`RunTimings`).
    package var timings = RunTimings()
    /// The alerts a test run would have sent (`RunOptions.captureAlerts`); never encoded.
    package var capturedAlerts: [AlertPayload] = []
    /// Per accepted record (`SYSTEM SOURCE_ID`), its file name and locator
    /// (`RunOptions.recordLocators`); never encoded.
    package var locators: [String: String] = [:]

    private enum CodingKeys: String, CodingKey {
        case batchID, pipeline, store, asOf, dryRun, seconds, rowsPerSecond, files, systems, bySystem, overall, metrics
        case idMatchBySystem, syncLagBySystem, rowsWithoutUpdatedAt, completeness, health, alerts, anomalies, timings
    }

    package var undeliveredAlerts: [AlertOutcome] { alerts.filter { !$0.delivered } }

    package var fileErrors: [FileEntry] { files.filter { $0.status == "failed" } }

    /// The summary for a terminal.
    package func text(_ strings: Strings) -> String {
        var lines: [String] = []
        lines.append(strings.runHeadline(batchID, pipeline, asOf, dryRun))
        for file in files {
            switch file.status {
            case "skipped": lines.append("  " + strings.runSkipped(file.path, file.loadedBy ?? "?"))
            case "failed": lines.append("  " + strings.runFailedFile(file.path, file.error ?? ""))
            default: break
            }
        }
        lines.append(strings.runHeader)
        func row(_ name: String, _ c: Counts) -> String {
            func pad(_ value: Int, _ width: Int) -> String {
                let text = String(value)
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            var label = ""
            for character in name {
                guard (label + String(character)).displayWidth <= 10 else { break }
                label.append(character)
            }
            return
                "  \(label.padded(to: 10))\(pad(c.read, 7))\(pad(c.merged, 9))  (\(pad(c.created, 4))\(pad(c.updated, 8))\(pad(c.unchanged, 10)))"
                + "\(pad(c.pending, 9))\(pad(c.rejected, 10))"
        }
        for system in systems { lines.append(row(system, bySystem[system] ?? Counts())) }
        lines.append(row(strings.runTotal, overall))
        if !overall.rejectedByReason.isEmpty {
            let reasons = overall.rejectedByReason.sorted { $0.key < $1.key }.map { "\(strings.rejectLabel($0.key)) \($0.value)" }
            lines.append("  " + strings.runRejectedByReason + reasons.joined(separator: ", "))
        }
        let refused = systems.compactMap { system -> String? in
            guard let reasons = bySystem[system]?.refusedDates, !reasons.isEmpty else { return nil }
            return "\(system) " + reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        if !refused.isEmpty {
            lines.append("  " + strings.runRefusedDates + refused.joined(separator: "; "))
            if overall.refusedDates[DateRefusal.ambiguous.rawValue] != nil {
                lines.append("    " + strings.runAmbiguousHint)
            }
        }
        if overall.earlierPendingLinked > 0 {
            lines.append("  " + strings.runEarlierPending(overall.earlierPendingLinked))
        }
        lines.append(
            "  " + strings.runAccounting(overall.read, overall.merged, overall.pending, overall.rejected, overall.balanced))
        for metric in metrics {
            let limits = [
                metric.warn.map { strings.limit(.warn, format($0)) }, metric.fail.map { strings.limit(.fail, format($0)) },
            ]
            .compactMap { $0 }.joined(separator: ", ")
            lines.append(
                "  \(strings.labelled(strings.metric(metric.name)))\(format(metric.value)) [\(strings.status(metric.status))]"
                    + (limits.isEmpty ? "" : " (\(limits))"))
        }
        if let anomalies {
            lines.append("  " + strings.labelled(strings.anomalies) + anomalies.summary(strings))
        }
        for alert in alerts {
            lines.append(
                "  " + strings.runAlert(alert.sink, alert.target, alert.delivered, alert.attempts, alert.error ?? ""))
        }
        // Another run's batch held the store: a slow night says so.
        if timings.wait >= 0.5 { lines.append("  " + strings.runWait(timings.wait, timings.readAhead)) }
        lines.append(
            "  "
                + strings.runTimings(
                    timings.files.reduce(0) { $0 + $1.seconds }, timings.merge, timings.pendingLinks,
                    timings.indexRebuild, timings.metrics, timings.commit))
        lines.append("  " + strings.runSpeed(overall.read, seconds, rowsPerSecond))
        return lines.joined(separator: "\n")
    }

    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    private func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
