import Extract
import Foundation
import Health
import Load
import Transform

/// The state of one batch while it runs: its files read, normalized and merged in turn, then
/// the pending pass, the accounting and the metrics.
struct BatchRun {
    let config: PipelineConfig
    let options: RunOptions
    let batch: BatchInfo
    let session: any BatchSession
    var summary: RunSummary
    var metricCounts: [String: SystemCounts] = [:]

    init(config: PipelineConfig, options: RunOptions, batch: BatchInfo, session: any BatchSession, summary: RunSummary) {
        self.config = config
        self.options = options
        self.batch = batch
        self.session = session
        self.summary = summary
    }

    /// Merges the files of `feed`, those it read ahead first; while one merges, the next is read
    /// ahead (`FileFeed.drainAhead`).
    mutating func loadSources(from feed: FileFeed) throws {
        for source in config.sources where !summary.systems.contains(source.system) {
            summary.systems.append(source.system)
        }
        try feed.confirm(session)
        var issues: [ConfigIssue] = []
        while true {
            let clock = Stopwatch()
            guard let start = try feed.next(session) else { break }
            switch start {
            case .invalid(let issue):
                issues.append(issue)
            case .settled(let file):
                summary.files.append(file)
                summary.timings.files.append(.init(system: file.system, path: file.path, seconds: clock.seconds))
            case .reading(let file):
                try feed.drainAhead(session, behind: file)
                try load(file, clock: clock)
                // The file's chunks are freed; jemalloc would keep their pages ten seconds, into
                // the next file's peak (docs/performance.md, "Sixteen rows to a statement").
                FreedMemory.release()
            }
        }
        if !issues.isEmpty { throw ConfigError(issues) }
    }

    /// `clock`: started when the batch came to the file (a file read ahead: once the batch held
    /// the lock; the time before is the run's `wait`).
    private mutating func load(_ file: OpenFile, clock: Stopwatch) throws {
        let source = file.file.source
        let path = file.file.path
        var merging = 0.0
        defer {
            summary.timings.files.append(.init(system: source.system, path: path, seconds: clock.seconds, merge: merging))
            summary.timings.merge += merging
        }
        defer { file.finish() }
        let normalizer = file.normalizer
        let current = file.snapshot.map(session.isCurrent) ?? true
        var counts = summary.bySystem[source.system] ?? RunSummary.Counts()
        var metrics = metricCounts[source.system] ?? SystemCounts()
        var records = 0
        var emptyRows = 0
        var abandoned: String?
        let progress = ProgressClock(file: path, report: self.options.progress)
        do {
            var consumed: [Item]?
            while var items = file.next(handingBack: &consumed) {
                abandoned = Self.abandonIfMostlyEmpty(
                    &items, emptyRows: &emptyRows, recordsBefore: records, limit: source.limits.read.emptyRowsPerFile)
                let storing = Stopwatch()
                var outcomes = try merge(&items, normalizer: normalizer, current: current).makeIterator()
                for item in items {
                    records += 1
                    counts.read += 1
                    try consume(item, outcomes: &outcomes, source: source, file: path, counts: &counts, metrics: &metrics)
                }
                merging += storing.seconds
                progress.tick(records)
                consumed = consume items
                if abandoned != nil {
                    file.cancel()
                    break
                }
            }
        } catch {
            file.cancel()
            throw error
        }
        if let message = abandoned ?? (file.channel.error as? ExtractError)?.message {
            summary.files.append(
                .init(
                    system: source.system, path: path, status: "failed", records: records,
                    error: "\(message) (after \(records) records; the records before it were loaded)"))
        } else {
            summary.files.append(.init(system: source.system, path: path, status: "loaded", records: records))
            try session.recordFile(
                LoadedFile(
                    system: source.system, path: path, sha256: file.sha256, bytes: file.bytes,
                    records: records))
        }
        summary.bySystem[source.system] = counts
        metricCounts[source.system] = metrics
    }

    /// Cuts the chunk after the empty row that makes a file mostly empty rows, past
    /// `limit` (`limits.empty_rows_per_file`), and says why in that row's reject; nil while the file is sound.
    private static func abandonIfMostlyEmpty(_ items: inout [Item], emptyRows: inout Int, recordsBefore: Int, limit: Int)
        -> String?
    {
        for index in items.indices {
            guard case .unreadable(var problem, let sourceID, let owner) = items[index], problem.refusal == .emptyRow else {
                continue
            }
            emptyRows += 1
            let read = recordsBefore + index + 1
            guard emptyRows > limit, emptyRows * 2 > read else { continue }
            let reason =
                "abandoned: \(emptyRows) of its first \(read) records are empty (the limit is "
                + "\(limit), limits.empty_rows_per_file); the rest of the file was not read"
            problem.message = "every cell of the record is empty; the file is \(reason)"
            items[index] = .unreadable(problem, sourceID: sourceID, owner: owner)
            items.removeSubrange((index + 1)...)
            return "the file is " + reason
        }
        return nil
    }

    /// Merges a chunk's accepted rows: one outcome per item that has a merge entry, in order. An
    /// unchanged row that this batch has rewritten since is normalized here, in its turn.
    private func merge(_ items: inout [Item], normalizer: RecordNormalizer, current: Bool) throws -> [MergeOutcome] {
        var outcomes: [MergeOutcome] = []
        var start = 0
        while true {
            let indices = items.indices[start...].filter { items[$0].mergeEntry(current: current) != nil }
            switch try session.merge(indices.compactMap { items[$0].mergeEntry(current: current) }) {
            case .merged(let merged):
                return outcomes + merged
            case .stale(let at, let merged):
                outcomes += merged
                start = indices[at]
                // A row whose source row was dropped cannot be stale (`OpenFile.open`).
                guard case .unchanged(_, let record?, let row, _, _) = items[start] else {
                    preconditionFailure("only an unchanged row with its source row can be stale")
                }
                items[start] = OpenFile.stage(record, normalizer: normalizer, rawDigest: row.rawDigest, batch: batch)
            }
        }
    }

    /// Counts one record of a merged chunk: `outcomes` holds the chunk's merge outcomes, one for
    /// each accepted record, in order.
    private mutating func consume(
        _ item: Item, outcomes: inout IndexingIterator<[MergeOutcome]>, source: SourceConfig,
        file: String, counts: inout RunSummary.Counts, metrics: inout SystemCounts
    ) throws {
        switch item {
        case .unreadable(let problem, let sourceID, let owner):
            try reject(
                &counts, source: source, file: file, locator: problem.locator,
                reason: RejectReason(problem.refusal), message: problem.message, sourceID: sourceID, owner: owner)
        case .rejected(let locator, let rejection, let owner):
            try reject(
                &counts, source: source, file: file, locator: locator,
                reason: rejection.reason, message: rejection.message, sourceID: rejection.sourceID, owner: owner)
        case .accepted(let locator, let staged):
            let canonical = staged.record
            for refusal in canonical.refusals
            where Self.dateFields.contains(refusal.field)
                && refusal.reason != DateRefusal.placeholder.rawValue
            {
                counts.refusedDates[refusal.reason, default: 0] += 1
            }
            try merged(
                outcomes.next(), locator: locator, sourceID: canonical.sourceID, owner: canonical[.owner] ?? "",
                updatedAt: canonical.updatedAt, source: source, file: file, counts: &counts, metrics: &metrics)
        case .unchanged(let locator, _, let row, let updatedAt, let owner):
            try merged(
                outcomes.next(), locator: locator, sourceID: row.sourceID, owner: owner,
                updatedAt: updatedAt, source: source, file: file, counts: &counts, metrics: &metrics)
        case .read: preconditionFailure("a record reached the store unnormalized")
        }
    }

    /// The fields whose values the timestamp parser reads.
    private static let dateFields: Set<String> = [
        "updated_at", ContactField.startedAt.rawValue,
        CanonicalField.lastContactAt.rawValue, CanonicalField.nextFollowupAt.rawValue, CanonicalField.createdAt.rawValue,
    ]

    /// Counts an accepted record by its merge outcome.
    private mutating func merged(
        _ outcome: MergeOutcome?, locator: Locator, sourceID: String, owner: String,
        updatedAt: Date?, source: SourceConfig, file: String, counts: inout RunSummary.Counts,
        metrics: inout SystemCounts
    ) throws {
        guard let outcome else { preconditionFailure("one merge outcome per accepted record") }
        if outcome == .duplicate {
            try reject(
                &counts, source: source, file: file, locator: locator, reason: .duplicate,
                message: "repeats an earlier record of \(sourceID) with the same values",
                sourceID: sourceID, owner: owner)
            return
        }
        count(outcome, in: &counts)
        if options.recordLocators {
            summary.locators["\(source.system) \(sourceID)"] = "\(URL(fileURLWithPath: file).lastPathComponent) \(locator)"
        }
        if let updatedAt {
            metrics.withUpdatedAt += 1
            if SystemCounts.lags(updatedAt: updatedAt, loadedAt: batch.asOf) { metrics.lagged += 1 }
        } else {
            metrics.withoutUpdatedAt += 1
        }
    }

    private func count(_ outcome: MergeOutcome, in counts: inout RunSummary.Counts) {
        switch outcome {
        case .created: counts.merged += 1; counts.created += 1
        case .updated: counts.merged += 1; counts.updated += 1
        case .unchanged(let pending):
            counts.unchanged += 1
            if pending { counts.pending += 1 } else { counts.merged += 1 }
        case .pending: counts.pending += 1
        case .duplicate: break
        }
    }

    private mutating func reject(
        _ counts: inout RunSummary.Counts, source: SourceConfig, file: String, locator: Locator,
        reason: RejectReason, message: String, sourceID: String, owner: String
    ) throws {
        counts.rejected += 1
        counts.rejectedByReason[reason.rawValue, default: 0] += 1
        try session.reject(
            RejectRow(
                system: source.system, file: file, locator: locator.description, reason: reason,
                message: message, sourceID: sourceID.escapingControlCharacters, owner: owner))
    }

    /// Links pending records, checks the accounting, measures health and stores the batch.
    mutating func finish(started: Date) throws {
        let linking = Stopwatch()
        let rebuiltBefore = session.indexRebuildSeconds
        let resolution = try session.resolvePending()
        summary.timings.indexRebuild = session.indexRebuildSeconds - rebuiltBefore
        summary.timings.pendingLinks = max(0, linking.seconds - summary.timings.indexRebuild)
        for (system, linked) in resolution.bySystem {
            var counts = summary.bySystem[system] ?? RunSummary.Counts()
            counts.pending -= linked.linkedFromBatch
            counts.merged += linked.linkedFromBatch
            counts.earlierPendingLinked += linked.linkedFromEarlier
            summary.bySystem[system] = counts
            if !summary.systems.contains(system) { summary.systems.append(system) }
        }
        summary.overall = RunSummary.Counts()
        for system in summary.systems {
            guard let counts = summary.bySystem[system] else { continue }
            guard counts.balanced else {
                throw RunError.accounting(
                    """
                    accounting failed for \(system): read \(counts.read) ≠ merged \(counts.merged) + pending \
                    \(counts.pending) + rejected \(counts.rejected); the batch was rolled back. This is a crmbridge bug: \
                    please report it with the pipeline file
                    """)
            }
            summary.overall.add(counts)
            var metrics = metricCounts[system] ?? SystemCounts()
            metrics.accepted = counts.merged + counts.pending
            metrics.resolved = counts.merged
            metricCounts[system] = metrics
            summary.idMatchBySystem[system] = metrics.idMatch
            summary.syncLagBySystem[system] = metrics.syncLag24h
        }
        let total = metricCounts.values.reduce(SystemCounts(), +)
        summary.rowsWithoutUpdatedAt = total.withoutUpdatedAt
        let measuring = Stopwatch()
        let completeness = try Completeness.measure(session, required: config.required)
        summary.completeness = completeness
        try session.recordMetrics(MetricRow.rows(completeness: completeness, systems: metricCounts))
        summary.timings.metrics = measuring.seconds
        summary.metrics = [
            MetricResult(name: .completeness, value: completeness.overall, threshold: config.thresholds[.completeness]),
            MetricResult(name: .idMatch, value: total.idMatch, threshold: config.thresholds[.idMatch]),
            MetricResult(name: .syncLag24h, value: total.syncLag24h, threshold: config.thresholds[.syncLag24h]),
        ]
        summary.health = summary.metrics.map(\.status).max() ?? .ok
        summary.seconds = Date().timeIntervalSince(started)
        summary.rowsPerSecond = summary.seconds > 0 ? Double(summary.overall.read) / summary.seconds : 0
        // The store keeps the summary as it is before the commit: its `commit` is 0.
        summary.timings.total = summary.seconds
        let committing = Stopwatch()
        try session.finish(summary: summary.json)
        summary.timings.commit = committing.seconds
    }
}

/// Calls the progress callback at most four times a second.
private final class ProgressClock {
    let file: String
    let report: (@Sendable (String, Int, Double) -> Void)?
    let start = Date()
    var last = Date()

    init(file: String, report: (@Sendable (String, Int, Double) -> Void)?) {
        self.file = file
        self.report = report
    }

    func tick(_ rows: Int) {
        guard let report else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.25 else { return }
        last = now
        report(file, rows, Double(rows) / now.timeIntervalSince(start))
    }
}
