import Foundation
import GRDB
import Transform

/// The embedded master store: one SQLite file in WAL mode, so that exports and health reads
/// go on while a batch writes. A store that does not exist yet is made by its first batch
/// (`SQLiteStore+FirstLoad.swift`).
package final class SQLiteStore: MasterStore {
    package let path: String
    package var location: StoreLocation { .sqlite(path: path) }
    /// nil until a store that did not exist is created.
    private var openedQueue: DatabaseQueue?
    /// A first batch is building the store (`SQLiteStore+FirstLoad.swift`).
    var isBuilding = false
    let busyTimeout: TimeInterval
    /// The page cache of a connection: 64 MiB keeps the key indexes hot during a large batch.
    static let pageCacheKiB = 65_536
    /// The fewest customers a batch makes before it drops the phone and tax-ID indexes until
    /// its end (below that, they fit in the page cache and cost little).
    var bulkLoadMinimum: Int64 = 50_000

    /// Opens (migrating if needed) the store at `path`; one that does not exist is created by
    /// the first batch or access. A second run waits up to `busyTimeout` seconds for the write
    /// lock, then fails with `StoreError.busy`.
    package init(path: String, busyTimeout: TimeInterval = 10, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        self.busyTimeout = busyTimeout
        let configuration = Self.configuration(readOnly: readOnly, busyTimeout: busyTimeout)
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(.cannotOpen, "no store at \(path): run a pipeline into it first")
        }
        do {
            if readOnly {
                // A store an older crmbridge wrote is brought up to date once, then read.
                let current = try DatabaseQueue(path: path, configuration: configuration)
                try Self.refuseNewer(current, path: path)
                if try current.read({ try !Self.migrator.hasCompletedMigrations($0) }) {
                    try current.close()
                    let writable = Self.configuration(readOnly: false, busyTimeout: busyTimeout)
                    try Self.migrator.migrate(DatabaseQueue(path: path, configuration: writable))
                    openedQueue = try DatabaseQueue(path: path, configuration: configuration)
                } else {
                    openedQueue = current
                }
            } else {
                // A new store's folder is made as needed (`sqlite:out/demo.sqlite` on a fresh clone).
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                    withIntermediateDirectories: true)
                if FileManager.default.fileExists(atPath: path) { openedQueue = try Self.open(path, busyTimeout: busyTimeout) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.cannotOpen, "cannot open the store \(path): \(Self.describe(error))\(Self.readOnlyHint(path))")
        }
    }

    /// A connection's settings. `wal`: the store's own journal; a first load builds without one.
    static func configuration(readOnly: Bool, busyTimeout: TimeInterval, wal: Bool = true) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                // For a store created now (an existing one keeps its size): 64 KiB pages took about a
                // fifth off a million-row first load and an eighth off its 10% update, against
                // SQLite's 4 KiB (fewer pages to split, search and write). Set before cache_size:
                // set after it, a journal-less first load's cache grew without bound (1.1 GB at a
                // million rows). Set before WAL mode too, which fixes the page size.
                try db.execute(sql: "PRAGMA page_size = 65536; PRAGMA synchronous = NORMAL")
                // WAL, set here rather than through GRDB's `journalMode = .wal`: that one commits a
                // table made and dropped whenever the WAL file is missing or empty (for its reader
                // pools, which crmbridge does not use), so every run wrote 128 KiB before its batch,
                // and after a full disk the next run failed there. A store's header records WAL
                // mode once its first load set it; the pragma then writes nothing.
                if wal { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            // Sorts (GROUP BY over every customer) spill to temporary files, not memory: a million
            // customers would otherwise add 200 MB to the run's peak.
            try db.execute(sql: "PRAGMA cache_size = -\(Self.pageCacheKiB); PRAGMA temp_store = FILE")
        }
        return configuration
    }

    /// Opens and migrates a writable store.
    private static func open(_ path: String, busyTimeout: TimeInterval) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path, configuration: configuration(readOnly: false, busyTimeout: busyTimeout))
        try refuseNewer(queue, path: path)
        try migrator.migrate(queue)
        return queue
    }

    /// Why a store on read-only media cannot be opened, read or not: SQLite writes its WAL index
    /// (`STORE-shm`) beside the store even to read it.
    static func readOnlyHint(_ path: String) -> String {
        var status = statvfs()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard statvfs(folder, &status) == 0, status.f_flag & UInt(ST_RDONLY) != 0 else { return "" }
        return " (its folder is on a read-only file system: crmbridge writes STORE-wal and STORE-shm beside the "
            + "store even to read it; copy it to a writable folder)"
    }

    /// A store a newer crmbridge has migrated further holds what this build cannot keep right.
    static func refuseNewer(_ reader: some DatabaseReader, path: String) throws {
        let known = Set(migrator.migrations)
        let unknown = try reader.read { try migrator.appliedIdentifiers($0) }.filter { !known.contains($0) }
        guard !unknown.isEmpty else { return }
        throw StoreError(
            .cannotOpen,
            """
            \(path) was written by a newer crmbridge (its schema has \(unknown.sorted().joined(separator: ", "))): \
            use that version or a newer one
            """)
    }

    /// The store's connection. A store that does not exist yet is created empty, under the
    /// lock that a first batch holds while it builds one.
    var queue: DatabaseQueue {
        get throws {
            if let openedQueue { return openedQueue }
            // Waiting here for the lock this very run holds would never end.
            guard !isBuilding else {
                throw StoreError(
                    .busy, "the store \(path) is being created by this run's batch: read it once the batch has committed")
            }
            let queue = try CreationLock.withLock(forStoreAt: path, timeout: busyTimeout) {
                try Self.open(path, busyTimeout: busyTimeout)
            }
            openedQueue = queue
            return queue
        }
    }

    /// A second writer waits inside `BEGIN IMMEDIATE` (the busy timeout): `whileWaiting` is never called.
    package func withBatch<T>(
        _ batch: BatchInfo, whileWaiting: (any CommittedReads, Date) -> Void,
        _ body: (any BatchSession) throws -> T
    ) throws -> T {
        do {
            if openedQueue == nil, let result = try firstLoad(batch, body) { return result }
            return try run(batch, in: queue, isNew: false, body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError(
                .busy,
                """
                another crmbridge run is writing to \(path) (waited \(Int(busyTimeout)) s): \
                try again when it has finished, or raise --wait
                """)
        } catch {
            releaseRolledBackSpace()
            if let error = error as? DatabaseError {
                throw StoreError(.failed, "the store \(path) failed, the batch was rolled back: \(Self.describe(error))")
            }
            throw error
        }
    }

    /// A rolled-back batch leaves its pages in the WAL file, and after a full disk that space is
    /// what the next run needs: a TRUNCATE checkpoint gives it back. The batch's connection is
    /// closed first (after an I/O error it keeps its hold on the WAL) and reopened on next use.
    /// Best effort: the store is intact either way. (A first load builds aside and leaves no WAL.)
    private func releaseRolledBackSpace() {
        guard let batchConnection = openedQueue else { return }
        try? batchConnection.close()
        openedQueue = nil
        guard let connection = try? DatabaseQueue(path: path, configuration: Self.configuration(readOnly: false, busyTimeout: 0))
        else { return }
        try? connection.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try? connection.close()
    }

    /// One batch, one transaction. `isNew`: the store held nothing before it.
    func run<T>(
        _ batch: BatchInfo, in queue: DatabaseQueue, isNew: Bool,
        _ body: (any BatchSession) throws -> T
    ) throws -> T {
        var result: T?
        try queue.inTransaction(.immediate) { db in
            let session = try SQLiteBatchSession(
                db: db, path: path, batch: batch, bulkLoadMinimum: bulkLoadMinimum,
                isNew: isNew)
            result = try body(session)
            try session.completeDeferredWrites()
            return .commit
        }
        return result!
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
