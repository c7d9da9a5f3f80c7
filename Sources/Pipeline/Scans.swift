import Foundation
import Health
import Load
import Transform

/// How `crmbridge scan` was asked to scan.
public struct ScanOptions: Sendable {
    public var activeStatuses: [String] = []
    public var gapFields: [CanonicalField] = GapScan.defaultFields
    /// The scan's time (`--as-of`); default now. Closing within 48 hours is measured from it.
    public var at = Date()
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// Remember the list so that the next scan reports what was closed.
    public var remember = true

    public init() {}

    /// The pipeline file's `scan:` settings.
    public init(config: PipelineConfig) {
        activeStatuses = config.activeStatuses
        gapFields = config.gapFields
        timeZone = config.timeZone
    }
}

public enum Scans {
    /// Runs the gap scan on the store at `path`, reports what became of the last list and
    /// remembers this one.
    public static func gaps(storePath path: String, options: ScanOptions) throws(StoreError) -> GapScan.Result {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.cannotOpen, "no store at \(path): run a pipeline into it first")
        }
        let store = try SQLiteStore(path: path, busyTimeout: 30)
        let scan = GapScan(fields: options.gapFields, activeStatuses: options.activeStatuses)
        let previous = try store.lastScan(kind: "gaps")
        let result: GapScan.Result
        do {
            result = try scan.run(store, previous: previous) { key, columns throws(StoreError) in
                try store.firstFilled(key: key, columns: columns, since: previous?.scannedAt ?? "")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "the scan of \(path) failed: \(error)")
        }
        if options.remember {
            let at = TimestampParser(timeZone: options.timeZone).iso8601(options.at)
            try store.remember(kind: "gaps", scannedAt: at, items: result.gaps.map { ($0.key, $0.missing.map(\.rawValue)) })
        }
        return result
    }
}
