import Foundation
import GRDB

/// A batch into a store that does not exist yet builds it in a side file, `PATH-building`, with
/// no journal, and then renames it to `PATH`: the rename is its commit. Through the WAL every
/// page is written twice (to the WAL, then into the file); this way a first load is faster
/// (figures: docs/performance.md). A crash or an error leaves no store (and a side file the
/// next first run removes); a dry run leaves nothing.
extension SQLiteStore {
    /// The batch's result; nil when another run created the store while this one waited.
    func firstLoad<T>(_ batch: BatchInfo, _ body: (any BatchSession) throws -> T) throws -> T? {
        try CreationLock.withLock(forStoreAt: path, timeout: busyTimeout) { () throws -> T? in
            guard !FileManager.default.fileExists(atPath: path) else { return nil }
            isBuilding = true
            defer { isBuilding = false }
            let building = path + "-building"
            try? FileManager.default.removeItem(atPath: building)  // left by a first run that died
            var configuration = Self.configuration(readOnly: false, busyTimeout: busyTimeout, wal: false)
            configuration.prepareDatabase { db in
                // Nothing to roll back to: the side file is thrown away unless the batch commits.
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            }
            let queue: DatabaseQueue
            do {
                queue = try DatabaseQueue(path: building, configuration: configuration)
            } catch {
                throw StoreError(.cannotOpen, "cannot create the store \(path): \(Self.describe(error))")
            }
            do {
                try Self.migrator.migrate(queue)
                let result = try run(batch, in: queue, isNew: true, body)
                // Later runs open the store in WAL mode, which the file's header records.
                try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
                try queue.close()
                try Self.syncToDisk(building)
                guard rename(building, path) == 0 else {
                    throw StoreError(
                        .failed, "cannot move the new store into place at \(path): \(String(cString: strerror(errno)))")
                }
                try Self.syncToDisk(URL(fileURLWithPath: path).deletingLastPathComponent().path)  // the rename itself
                return result
            } catch {
                try? queue.close()
                try? FileManager.default.removeItem(atPath: building)
                throw error
            }
        }
    }

    /// fsync of a file or folder: the store must be on disk before its rename makes it the store.
    private static func syncToDisk(_ path: String) throws(StoreError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        defer { if descriptor >= 0 { close(descriptor) } }
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            throw StoreError(.failed, "cannot write the new store \(path) to disk: \(String(cString: strerror(errno)))")
        }
    }
}
