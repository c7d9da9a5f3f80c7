/// The three health metrics (docs/design.md).
package enum MetricName: String, Sendable, CaseIterable, Codable {
    case completeness
    case idMatch = "id_match"
    case syncLag24h = "sync_lag_24h"

    /// Completeness and id_match are better high; sync lag is a share of late rows, better low.
    package var higherIsBetter: Bool { self != .syncLag24h }
}

/// A metric's `warn` and `fail` limits from the pipeline file.
package struct Threshold: Sendable, Equatable {
    package var warn: Double?
    package var fail: Double?

    package init(warn: Double? = nil, fail: Double? = nil) {
        self.warn = warn
        self.fail = fail
    }
}

package enum HealthStatus: String, Sendable, Codable, Comparable {
    case ok, warn, fail

    package static func < (a: HealthStatus, b: HealthStatus) -> Bool {
        let order: [HealthStatus] = [.ok, .warn, .fail]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// One metric's value judged against its threshold.
package struct MetricResult: Sendable, Equatable, Codable {
    package var name: MetricName
    package var value: Double
    package var warn: Double?
    package var fail: Double?
    package var status: HealthStatus

    package init(name: MetricName, value: Double, threshold: Threshold?) {
        self.name = name
        self.value = value
        warn = threshold?.warn
        fail = threshold?.fail
        func breaches(_ limit: Double?) -> Bool {
            guard let limit else { return false }
            return name.higherIsBetter ? value < limit : value > limit
        }
        status = breaches(fail) ? .fail : breaches(warn) ? .warn : .ok
    }
}
