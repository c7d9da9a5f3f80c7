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
    /// The language of the lists and messages.
    package var language = Language.default
    /// The systems whose own customer numbers the gap list shows; nil: every customer system.
    package var idSystems: [String]?
    /// `scan.record_url`.
    package var recordURL: RecordURL?
    /// The pipeline's alert sinks and `people`: who is told, and how to @-mention them.
    package var alerts: [AlertConfig] = []
    package var people: [String: String] = [:]
    package var salesVP: String?
    /// Seconds between two messages to one robot.
    package var robotInterval = Alerts.robotInterval

    package init() {}

    /// The pipeline file's `scan:` settings.
    package init(config: PipelineConfig) {
        activeStatuses = config.activeStatuses
        gapFields = config.gapFields
        timeZone = config.timeZone
        language = config.language
        idSystems = config.sources.filter { $0.kind == .customers }.map(\.system).reduce(into: []) { systems, system in
            if !systems.contains(system) { systems.append(system) }
        }
        recordURL = config.recordURL
        alerts = config.alerts
        people = config.people
        salesVP = config.salesVP
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

    /// Tells each owner with gaps, the owners nobody can @-mention and the sales VP, through
    /// the pipeline's chat robots; paced, and never failing the scan.
    package static func notify(_ result: GapScan.Result, layout: GapListLayout, options: ScanOptions) -> (
        sent: Int, outcomes: [AlertOutcome]
    ) {
        let notices = GapNotices(people: options.people, strings: options.language.strings, salesVP: options.salesVP)
        let messages = notices.messages(for: result, layout: layout)
        let outcomes = Alerts.send(messages, to: options.alerts, interval: options.robotInterval)
        return (outcomes.filter(\.delivered).count, outcomes)
    }

    /// Alerts the sinks that fire on `fail` about a consistency snapshot above its limit.
    package static func alert(
        _ result: ConsistencyScan.Result, systems: [String], limit: Double, options: ScanOptions
    ) -> [AlertOutcome] {
        let message = result.alert(systems: systems, limit: limit, strings: options.language.strings)
        return Alerts.send([message], to: options.alerts.filter { $0.on.contains(.fail) }, interval: options.robotInterval)
    }

    /// Runs the gap scan on the store at `location`, reports what became of the last list and
    /// remembers this one; with the layout of the list for people.
    package static func gaps(store location: StoreLocation, options: ScanOptions) throws(StoreError) -> (
        result: GapScan.Result, layout: GapListLayout
    ) {
        let scan = GapScan(fields: options.gapFields, activeStatuses: options.activeStatuses, at: options.at)
        let (store, result) = try scanning(location) { store in
            let previous = try store.lastScan(kind: "gaps")
            var result = try scan.run(store, previous: previous) { key, columns throws(StoreError) in
                try store.firstFilled(key: key, columns: columns, since: previous?.scannedAt ?? "")
            }
            let ids = try store.sourceIDs(of: Set(result.gaps.map(\.key)), systems: options.idSystems)
            for index in result.gaps.indices { result.gaps[index].sourceIDs = ids[result.gaps[index].key] ?? [:] }
            return (store, result)
        }
        let timestamps = TimestampParser(timeZone: options.timeZone)
        let at = timestamps.iso8601(options.at)
        let layout = GapListLayout(
            fields: options.gapFields,
            systems: options.idSystems ?? Set(result.gaps.flatMap(\.sourceIDs.keys)).sorted(),
            recordURL: options.recordURL, scannedAt: at,
            deadline: timestamps.iso8601(options.at.addingTimeInterval(GapScan.closingTime)))
        if options.remember {
            try store.remember(
                kind: "gaps", scannedAt: at, items: result.gaps.map { ($0.key, $0.missing.map(\.rawValue)) },
                followUp: result.followUp.map { ($0.listed, $0.closed, $0.closedWithin48h) })
        }
        return (result, layout)
    }
}
