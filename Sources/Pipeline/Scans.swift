import Foundation
import Health
import Load
import Transform

/// How `crmbridge scan` was asked to scan.
package struct ScanOptions: Sendable {
    package var activeStatuses: [String] = []
    package var gapFields: [CanonicalField] = GapScan.defaultFields
    /// The scan's time (`--as-of`); default now. Closing within 48 hours is measured from it.
    package var at = Date()
    package var timeZone = TimestampParser.defaultTimeZone
    /// Remember the list so that the next scan reports what was closed.
    package var remember = true

    package init() {}

    /// The pipeline file's `scan:` settings.
    package init(config: PipelineConfig) {
        activeStatuses = config.activeStatuses
        gapFields = config.gapFields
        timeZone = config.timeZone
    }
}

package enum Scans {
    /// Opens an existing store for a scan; a scan never creates one.
    static func open(_ path: String) throws(StoreError) -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.cannotOpen, "no store at \(path): run a pipeline into it first")
        }
        return try SQLiteStore(path: path, busyTimeout: 30)
    }

    /// Runs `body` on the store; any error it throws becomes a `StoreError` naming the store.
    static func scanning<T>(_ path: String, _ body: (SQLiteStore) throws -> T) throws(StoreError) -> T {
        let store = try open(path)
        do {
            return try body(store)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "the scan of \(path) failed: \(error)")
        }
    }

    /// Active customers with no contact for more than `days` days before `options.at`.
    package static func stale(storePath path: String, days: Int, options: ScanOptions) throws(StoreError) -> [StaleScan.Customer]
    {
        try scanning(path) { try StaleScan(days: days, activeStatuses: options.activeStatuses, at: options.at).run($0) }
    }

    /// The consistency snapshot of a sample of active customers present in every system.
    package static func consistency(storePath path: String, scan: ConsistencyScan) throws(StoreError) -> ConsistencyScan.Result {
        try scanning(path) { try scan.run($0) }
    }

    /// Runs the gap scan on the store at `path`, reports what became of the last list and
    /// remembers this one.
    package static func gaps(storePath path: String, options: ScanOptions) throws(StoreError) -> GapScan.Result {
        let scan = GapScan(fields: options.gapFields, activeStatuses: options.activeStatuses)
        let (store, result) = try scanning(path) { store in
            let previous = try store.lastScan(kind: "gaps")
            return (
                store,
                try scan.run(store, previous: previous) { key, columns throws(StoreError) in
                    try store.firstFilled(key: key, columns: columns, since: previous?.scannedAt ?? "")
                }
            )
        }
        if options.remember {
            let at = TimestampParser(timeZone: options.timeZone).iso8601(options.at)
            try store.remember(
                kind: "gaps", scannedAt: at, items: result.gaps.map { ($0.key, $0.missing.map(\.rawValue)) },
                followUp: result.followUp.map { ($0.listed, $0.closed, $0.closedWithin48h) })
        }
        return result
    }
}
