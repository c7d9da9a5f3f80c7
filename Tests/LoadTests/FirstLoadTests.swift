import Foundation
import GRDB
import Testing

@testable import Load

/// The first batch into a store that does not exist builds it beside its path and renames it.
@Suite struct FirstLoadTests {
    let taxA = "91440300MA5FXT4K8N"
    let taxB = "91110108MA01ABCD5T"

    func newPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID().uuidString).sqlite").path
    }

    @Test func theStoreAppearsWhenItsFirstBatchCommits() throws {
        let path = newPath()
        let store = try SQLiteStore(path: path)
        #expect(!FileManager.default.fileExists(atPath: path))
        try store.withBatch(batch()) { session in
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(FileManager.default.fileExists(atPath: path + "-building"))
            #expect(FileManager.default.fileExists(atPath: path + "-lock"))
            // Read through the store itself mid-build: an error, not a wait on its own lock.
            #expect(throws: StoreError.self) { try store.queue }
            // Another store in the same folder is not held up.
            let neighbour = try SQLiteStore(path: newPath(), busyTimeout: 0.2)
            try neighbour.withBatch(batch()) { session in
                _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-building"))
        #expect(!FileManager.default.fileExists(atPath: path + "-lock"))
        let reader = try SQLiteStore(path: path, readOnly: true)
        #expect(try rows(reader, .master).count == 1)
        let (journal, pageSize, integrity) = try reader.queue.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA page_size"),
                try String.fetchOne(db, sql: "PRAGMA integrity_check")
            )
        }
        #expect(journal == "wal")
        #expect(pageSize == 65536)
        #expect(integrity == "ok")

        // The next batch opens it as any store, through its WAL.
        try store.withBatch(batch()) { session in
            _ = try session.merge(customer("crm", "2", mobile: "+8613900139000", taxID: taxB))
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
        #expect(try rows(reader, .master).count == 2)
    }

    @Test func aFailedFirstBatchLeavesNoStore() throws {
        let path = newPath()
        let store = try SQLiteStore(path: path)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.withBatch(batch()) { session in
                _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
                throw Boom()
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + "-building"))
        // A side file a killed first load left is replaced by the next one.
        #expect(FileManager.default.createFile(atPath: path + "-building", contents: Data("not a database".utf8)))
        try store.withBatch(batch()) { session in
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
        }
        #expect(try rows(store, .master).count == 1)
    }

    /// Two runs that both find no store: the second waits for the first's folder lock, then
    /// finds the store and writes its batch into it, not a second store over the first.
    @Test func aSecondFirstRunWaitsAndWritesIntoTheNewStore() throws {
        let path = newPath()
        let first = try SQLiteStore(path: path)
        nonisolated(unsafe) let second = try SQLiteStore(path: path, busyTimeout: 30)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var secondError: (any Error)?
        nonisolated(unsafe) var secondFinished = false
        try first.withBatch(batch("first")) { session in
            _ = try session.merge(customer("crm", "1", mobile: "+8613800138000", taxID: taxA))
            Thread.detachNewThread {
                do {
                    try second.withBatch(batch("second")) { session in
                        _ = try session.merge(customer("erp", "E2", mobile: "+8613900139000", taxID: taxB))
                    }
                } catch {
                    secondError = error
                }
                secondFinished = true
                done.signal()
            }
            usleep(300_000)
            #expect(!secondFinished, "the second run must wait while the first builds the store")
        }
        done.wait()
        #expect(secondError == nil)
        let reader = try SQLiteStore(path: path, readOnly: true)
        #expect(try rows(reader, .master).count == 2)
        let batches = try reader.queue.read { db in try String.fetchAll(db, sql: "SELECT batch_id FROM batches ORDER BY id") }
        #expect(batches == ["first", "second"])
    }

    @Test func aSecondFirstRunGivesUpAfterItsWait() throws {
        let path = newPath()
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path, busyTimeout: 0.2)
        _ = try first.withBatch(batch()) { _ in
            #expect {
                try second.withBatch(batch()) { _ in }
            } throws: { error in
                (error as? StoreError)?.code == .busy && "\(error)".contains("another crmbridge run is creating the store")
            }
        }
    }

    /// A run that waited on a lock file its holder then removed must not go in while a third run
    /// holds the new lock file: it checks that the file it locked is still the one at the path.
    @Test func aWaiterOnARemovedLockFileQueuesBehindTheNewOne() throws {
        let path = newPath()
        let inside = NSLock()
        nonisolated(unsafe) var holders = 0
        nonisolated(unsafe) var mostAtOnce = 0
        let hold: @Sendable () -> Void = {
            inside.withLock {
                holders += 1; mostAtOnce = max(mostAtOnce, holders)
            }
            usleep(200_000)
            inside.withLock { holders -= 1 }
        }
        let done = DispatchSemaphore(value: 0)
        try CreationLock.withLock(forStoreAt: path, timeout: 5) {
            Thread.detachNewThread {  // waits on the file this holder is about to remove
                _ = try? CreationLock.withLock(forStoreAt: path, timeout: 5, hold)
                done.signal()
            }
            usleep(100_000)
        }
        // Right after the removal, while the waiter sleeps between tries: a new lock file.
        try CreationLock.withLock(forStoreAt: path, timeout: 5, hold)
        done.wait()
        #expect(mostAtOnce == 1)
        #expect(!FileManager.default.fileExists(atPath: path + "-lock"))
    }
}
