import Foundation
import Load

/// Where a run's time went, so that a night that got slow says why: `timings` in the run's JSON
/// summary and one line of its text. Seconds, rounded to the millisecond when encoded.
///
/// ```json
/// {"wait": 41.2, "read_ahead": 16384,
///  "files": [{"system": "crm", "path": "in/crm.csv", "seconds": 12.31, "merge": 7.9}],
///  "merge": 7.9, "pending_links": 0.41, "index_rebuild": 2.7, "metrics": 0.12, "commit": 1.2, "total": 16.9}
/// ```
///
/// `wait`, `files` and `pending_links`, `index_rebuild`, `metrics` and `commit` follow each other
/// and add up to no more than `total` (the run's `seconds`; the rest is opening the store and
/// judging the batch). `wait` is the time until the batch held the store's lock (another run's
/// batch holding it); `read_ahead` the records a PostgreSQL batch read and normalized meanwhile.
/// A file's `seconds` is its wall time from when the batch held the lock, checksum, reading,
/// normalizing and merging together; its `merge` is the part of it the store spent merging and
/// storing rejects (it overlaps with reading), and the top-level `merge` their sum.
package struct RunTimings: Sendable, Codable, Equatable {
    package struct File: Sendable, Codable, Equatable {
        package var system: String
        package var path: String
        package var seconds: Double = 0
        package var merge: Double = 0

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(system, forKey: .system)
            try container.encode(path, forKey: .path)
            try container.encode(RunTimings.rounded(seconds), forKey: .seconds)
            try container.encode(RunTimings.rounded(merge), forKey: .merge)
        }
    }

    /// Until the batch held the store's lock.
    package var wait: Double = 0
    /// Records read and normalized while the batch waited for the lock.
    package var readAhead = 0
    package var files: [File] = []
    package var merge: Double = 0
    /// Linking pending records (`resolvePending`), without `indexRebuild`.
    package var pendingLinks: Double = 0
    /// Rebuilding the lookup indexes a bulk load dropped (SQLite).
    package var indexRebuild: Double = 0
    /// Measuring completeness and storing the batch's metrics.
    package var metrics: Double = 0
    /// Storing the batch row and committing (on a dry run: rolling back).
    package var commit: Double = 0
    package var total: Double = 0

    package init() {}

    /// The phases that follow each other; no more than `total`.
    package var phases: Double {
        wait + files.reduce(0) { $0 + $1.seconds } + pendingLinks + indexRebuild + metrics + commit
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.rounded(wait), forKey: .wait)
        try container.encode(readAhead, forKey: .readAhead)
        try container.encode(files, forKey: .files)
        try container.encode(Self.rounded(merge), forKey: .merge)
        try container.encode(Self.rounded(pendingLinks), forKey: .pendingLinks)
        try container.encode(Self.rounded(indexRebuild), forKey: .indexRebuild)
        try container.encode(Self.rounded(metrics), forKey: .metrics)
        try container.encode(Self.rounded(commit), forKey: .commit)
        try container.encode(Self.rounded(total), forKey: .total)
    }

    /// Rounded down to the millisecond, so that rounded parts never add up past the total.
    static func rounded(_ seconds: Double) -> Double {
        (max(0, seconds) * 1000).rounded(.down) / 1000
    }
}

/// Measures a phase on the monotonic clock.
struct Stopwatch {
    private let started = ContinuousClock.now

    var seconds: Double { (ContinuousClock.now - started).inSeconds }
}
