import Extract
import Foundation
import Health
import Load
import Transform

/// How `crmbridge run` was asked to run.
package struct RunOptions: Sendable {
    /// Overrides the pipeline's `store`.
    package var store: String?
    /// The batch's load time; default now.
    package var asOf: Date?
    /// Read, normalize and merge, then roll everything back.
    package var dryRun = false
    /// Re-read files already loaded (recognised by checksum).
    package var force = false
    /// Seconds to wait for another run's write lock.
    package var wait: TimeInterval = 10
    /// Called about four times a second with (file, rows so far, rows per second).
    package var progress: (@Sendable (String, Int, Double) -> Void)?
    /// The language of the alerts (`--lang`); nil: the pipeline's `locale`.
    package var language: Language?
    /// The batch's id; default a new UUID. `crmbridge test` fixes it so that alert payloads,
    /// which name the batch, compare equal from run to run.
    package var batchID: String?
    /// Keep the alerts a committed batch would send in `RunSummary.capturedAlerts` instead of
    /// sending them (`crmbridge test` never touches the network).
    package var captureAlerts = false
    /// Keep where each accepted record was read in `RunSummary.locators`, for `crmbridge test`'s
    /// messages (a night's run does not hold a million of them).
    package var recordLocators = false
    /// Threads that normalize records (`--threads`): 1, the reading thread itself; more, that
    /// many workers beside it. The store still takes every file's records in order.
    package var threads = RunOptions.defaultThreads

    /// The cores this process may run on: `taskset` and cpusets narrow the machine's, which is
    /// all Foundation's `activeProcessorCount` sees (and Glibc's module leaves `sched_getaffinity`
    /// out), so read the kernel's own count of the allowed ones.
    package static var defaultThreads: Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let mask = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed:") }?.dropFirst("Cpus_allowed:".count)
        let allowed = mask.map { $0.reduce(0) { $0 + ($1.hexDigitValue?.nonzeroBitCount ?? 0) } } ?? 0
        return max(1, allowed > 0 ? allowed : ProcessInfo.processInfo.activeProcessorCount)
    }

    package init() {}
}

/// Why a run stopped without a summary.
package enum RunError: Error, CustomStringConvertible {
    case config(ConfigError)
    case store(StoreError)
    /// `read = merged + pending + rejected` did not hold: the batch was rolled back.
    case accounting(String)

    package var description: String {
        switch self {
        case .config(let error): error.description
        case .store(let error): error.description
        case .accounting(let message): message
        }
    }
}

/// Wires the four stages: for each source file, extract → normalize → merge, all in one batch.
package struct Runner {
    package let config: PipelineConfig
    package let options: RunOptions

    package init(config: PipelineConfig, options: RunOptions) {
        self.config = config
        self.options = options
    }

    /// The store this run writes to.
    package func storeLocation() throws(RunError) -> StoreLocation {
        guard let url = options.store else { return config.store }
        do {
            return try StoreLocation.parse(url, relativeTo: FileManager.default.currentDirectoryPath)
        } catch {
            throw .store(error)
        }
    }

    package func run() throws(RunError) -> RunSummary {
        let location = try storeLocation()
        let store: any MasterStore
        do {
            store = try openStore(location, access: .write, wait: options.wait)
        } catch {
            throw .store(error)
        }
        let started = Date()
        let clock = Stopwatch()
        let timestamps = TimestampParser(timeZone: config.timeZone)
        let asOf = options.asOf ?? started
        let batch = BatchInfo(
            id: options.batchID ?? UUID().uuidString.lowercased(), pipeline: config.name, startedAt: started, asOf: asOf,
            survivorship: config.survivorship, timestamps: timestamps)
        var summary = RunSummary(
            batchID: batch.id, pipeline: config.name, store: location.description, asOf: timestamps.iso8601(asOf),
            dryRun: options.dryRun, seconds: 0, rowsPerSecond: 0)
        // From the end of the batch's work to the end of its transaction: the commit, or a dry
        // run's rollback (a first load's rename and fsync too).
        var committing: Stopwatch?
        // Opened before the lock, so that a batch that waits for it reads ahead (PostgreSQL).
        let feed = FileFeed(config: config, options: options, batch: batch)
        defer { feed.close() }
        let waiting = Stopwatch()
        do {
            summary = try store.withBatch(batch, whileWaiting: feed.readAhead) { session in
                var batchRun = BatchRun(config: config, options: options, batch: batch, session: session, summary: summary)
                batchRun.summary.timings.wait = waiting.seconds
                batchRun.summary.timings.readAhead = feed.recordsAhead
                try batchRun.loadSources(from: feed)
                try batchRun.finish(started: started)
                committing = Stopwatch()
                if options.dryRun { throw DryRun(summary: batchRun.summary) }
                return batchRun.summary
            }
        } catch let dryRun as DryRun {
            summary = dryRun.summary
        } catch let error as RunError {
            throw error
        } catch let error as ConfigError {
            throw .config(error)
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .store(StoreError(.failed, "the batch was rolled back: \(error)"))
        }
        summary.timings.commit += committing?.seconds ?? 0
        summary.seconds = clock.seconds
        summary.rowsPerSecond = summary.seconds > 0 ? Double(summary.overall.read) / summary.seconds : 0
        summary.timings.total = summary.seconds
        // A store that cannot be read back now leaves the batch unjudged (the run is not
        // failed for it); `crmbridge health` judges a committed batch later.
        summary.anomalies = try? judgeAnomalies(store, summary: summary)
        if !options.dryRun && !config.alerts.isEmpty {
            if options.captureAlerts {
                summary.capturedAlerts = Alerts.payloads(
                    alertEvent(for: summary), in: options.language ?? config.language, to: config.alerts)
            } else {
                summary.alerts = Alerts.send(alertEvent(for: summary), in: options.language ?? config.language, to: config.alerts)
            }
        }
        return summary
    }

    /// The batch just committed, judged against the batches before it; a dry run's, which the
    /// store does not keep, from its summary. Holidays in the window are skipped, so the history
    /// read reaches back past a long holiday.
    private func judgeAnomalies(_ store: any MasterStore, summary: RunSummary) throws -> BatchAnomalies? {
        // A dry run's first batch left no SQLite store, and reading one would create it.
        if case .sqlite(let path) = store.location, !FileManager.default.fileExists(atPath: path) {
            return AnomalyDetector(options: config.anomalies).judgeLatest([BatchFigures(summary: summary)])
        }
        var history = try store.recentBatches(config.anomalies.window + 30).map(BatchFigures.init)
        if options.dryRun { history.append(BatchFigures(summary: summary)) }
        return AnomalyDetector(options: config.anomalies).judgeLatest(history)
    }

    /// The alert for a committed batch; a generic webhook receives the summary as stored.
    private func alertEvent(for summary: RunSummary) -> AlertEvent {
        AlertEvent(
            status: summary.health, pipeline: summary.pipeline, batchID: summary.batchID, asOf: summary.asOf,
            metrics: summary.metrics,
            systems: summary.systems.compactMap { system in
                guard let idMatch = summary.idMatchBySystem[system], let lag = summary.syncLagBySystem[system] else {
                    return nil
                }
                return (system, idMatch, lag)
            },
            summaryJSON: summary.json, anomalies: summary.anomalies?.anomalies ?? [])
    }
}

/// Thrown at the end of a dry run so that the transaction rolls back.
private struct DryRun: Error {
    var summary: RunSummary
}

extension ConfigIssue: Error {}
