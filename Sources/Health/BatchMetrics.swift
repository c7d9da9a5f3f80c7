import Foundation

/// What one source system contributed to a batch, for id_match and sync_lag_24h.
package struct SystemCounts: Sendable, Equatable, Codable {
    /// Accepted source rows (merged + pending); exact duplicates are not counted.
    package var accepted = 0
    /// Accepted rows that resolved to a master customer (keyed or linked).
    package var resolved = 0
    package var withUpdatedAt = 0
    package var withoutUpdatedAt = 0
    /// Rows whose `loaded_at − updated_at` exceeds 24 hours.
    package var lagged = 0

    package init() {}

    package static func + (a: SystemCounts, b: SystemCounts) -> SystemCounts {
        var sum = a
        sum.accepted += b.accepted
        sum.resolved += b.resolved
        sum.withUpdatedAt += b.withUpdatedAt
        sum.withoutUpdatedAt += b.withoutUpdatedAt
        sum.lagged += b.lagged
        return sum
    }

    /// Share of accepted rows resolved to a master customer.
    package var idMatch: Double { accepted == 0 ? 1 : Double(resolved) / Double(accepted) }
    /// Share of rows with an `updated_at` that lag more than 24 hours.
    package var syncLag24h: Double { withUpdatedAt == 0 ? 0 : Double(lagged) / Double(withUpdatedAt) }

    /// Whether a row updated at `updatedAt` and loaded at `loadedAt` lags more than 24 hours.
    package static func lags(updatedAt: Date, loadedAt: Date) -> Bool {
        loadedAt.timeIntervalSince(updatedAt) > 24 * 3600
    }
}
