import Foundation

/// What a command needs of a store it opens.
package enum StoreAccess: Sendable {
    /// A run's batches: a store that does not exist yet is created by the first one.
    case write
    /// Exports, health and history: the store must exist; it is only read (an older layout is
    /// brought up to date first).
    case read
    /// Scans: the store must exist; a scan remembers its list in it.
    case scan
}

/// Opens the store at `location`, SQLite or PostgreSQL: the one place commands name a store
/// type. `wait`: seconds a batch waits for another run's lock before `StoreError.busy`.
package func openStore(_ location: StoreLocation, access: StoreAccess, wait: TimeInterval = 10) throws(StoreError)
    -> any MasterStore
{
    switch location {
    case .sqlite(let path):
        switch access {
        case .write:
            return try SQLiteStore(path: path, busyTimeout: wait)
        case .read:
            return try SQLiteStore(path: path, busyTimeout: wait, readOnly: true)
        case .scan:
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreError(.cannotOpen, "no store at \(path): run a pipeline into it first")
            }
            return try SQLiteStore(path: path, busyTimeout: wait)
        }
    case .postgres(let postgres):
        return try PostgresStore(postgres, wait: wait, create: access == .write)
    }
}
