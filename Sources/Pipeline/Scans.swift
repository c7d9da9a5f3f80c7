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
    /// Runs `body` on the existing store at `location` (a scan never creates one); any error it
    /// throws becomes a `StoreError` naming the store.
    static func scanning<T>(_ location: StoreLocation, _ body: (any MasterStore) throws -> T) throws(StoreError) -> T {
        let store = try openStore(location, access: .scan, wait: 30)
        do {
            return try body(store)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "the scan of \(location) failed: \(error)")
        }
    }

    /// Active customers with no contact for more than `days` days before `options.at`.
    package static func stale(
        store location: StoreLocation, days: Int, options: ScanOptions
    ) throws(StoreError) -> [StaleScan.Customer] {
        try scanning(location) { try StaleScan(days: days, activeStatuses: options.activeStatuses, at: options.at).run($0) }
    }

    /// The consistency snapshot of a sample of active customers present in every system.
    package static func consistency(store location: StoreLocation, scan: ConsistencyScan) throws(StoreError)
        -> ConsistencyScan.Result
    {
        try scanning(location) { try scan.run($0) }
    }

    /// Runs the gap scan on the store at `location`, reports what became of the last list and
    /// remembers this one.
    package static func gaps(store location: StoreLocation, options: ScanOptions) throws(StoreError) -> GapScan.Result {
        let scan = GapScan(fields: options.gapFields, activeStatuses: options.activeStatuses)
        let (store, result) = try scanning(location) { store in
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
