import Foundation
import GRDB
import Transform

/// The embedded master store: one SQLite file in WAL mode, so that exports and health reads
/// go on while a batch writes.
public final class SQLiteStore: MasterStore {
    public let path: String
    let queue: DatabaseQueue
    private let busyTimeout: TimeInterval
    /// The page cache of a connection: 64 MiB keeps the key indexes hot during a large batch.
    static let pageCacheKiB = 65_536
    /// The fewest customers a batch makes before it drops the phone and tax-ID indexes until
    /// its end (below that, they fit in the page cache and cost little).
    var bulkLoadMinimum: Int64 = 50_000

    /// Opens (creating and migrating if needed) the store at `path`. A second run waits up to
    /// `busyTimeout` seconds for the write lock, then fails with `StoreError.busy`.
    public init(path: String, busyTimeout: TimeInterval = 10, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        self.busyTimeout = busyTimeout
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.readonly = readOnly
        if !readOnly { configuration.journalMode = .wal }
        configuration.prepareDatabase { db in
            // Sorts (GROUP BY over every customer) spill to temporary files, not memory: a million
            // customers would otherwise add 200 MB to the run's peak.
            try db.execute(sql: "PRAGMA cache_size = -\(Self.pageCacheKiB); PRAGMA temp_store = FILE")
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(.cannotOpen, "no store at \(path): run a pipeline into it first")
        }
        do {
            // A new store's folder is made as needed (`sqlite:out/demo.sqlite` on a fresh clone).
            if !readOnly {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
            }
            if readOnly {
                // A store an older crmbridge wrote is brought up to date once, then read.
                let current = try DatabaseQueue(path: path, configuration: configuration)
                if try current.read({ try !Self.migrator.hasCompletedMigrations($0) }) {
                    try current.close()
                    var writable = configuration
                    writable.readonly = false
                    try Self.migrator.migrate(DatabaseQueue(path: path, configuration: writable))
                    queue = try DatabaseQueue(path: path, configuration: configuration)
                } else {
                    queue = current
                }
            } else {
                queue = try DatabaseQueue(path: path, configuration: configuration)
                try Self.migrator.migrate(queue)
            }
        } catch {
            throw StoreError(.cannotOpen, "cannot open the store \(path): \(Self.describe(error))")
        }
    }

    /// Parses a store URL: `sqlite:PATH`, `sqlite://PATH` or a bare path. Relative paths are
    /// taken from `base`.
    public static func path(fromURL url: String, relativeTo base: String) throws(StoreError) -> String {
        var rest = url
        if rest.hasPrefix("postgres://") || rest.hasPrefix("postgresql://") {
            throw StoreError(.unsupported, "PostgreSQL stores (\(url.prefix(11))…) are not available in this build: use a sqlite: store")
        }
        if rest.hasPrefix("sqlite://") { rest.removeFirst("sqlite://".count) }
        else if rest.hasPrefix("sqlite:") { rest.removeFirst("sqlite:".count) }
        else if rest.contains("://") {
            throw StoreError(.unsupported, "unknown store URL '\(url)': expected sqlite:PATH")
        }
        guard !rest.isEmpty else { throw StoreError(.unsupported, "the store URL '\(url)' names no file") }
        if rest.hasPrefix("/") { return rest }
        return URL(fileURLWithPath: base).appendingPathComponent(rest).standardizedFileURL.path
    }

    public func withBatch<T>(_ batch: BatchInfo, _ body: (any BatchSession) throws -> T) throws -> T {
        do {
            var result: T?
            try queue.inTransaction(.immediate) { db in
                let session = try SQLiteBatchSession(db: db, path: path, batch: batch, bulkLoadMinimum: bulkLoadMinimum)
                result = try body(session)
                try session.completeDeferredWrites()
                return .commit
            }
            return result!
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError(.busy, """
                another crmbridge run is writing to \(path) (waited \(Int(busyTimeout)) s): \
                try again when it has finished, or raise --wait
                """)
        } catch let error as DatabaseError {
            throw StoreError(.failed, "the store \(path) failed, the batch was rolled back: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
