import Foundation
import GRDB
import Testing

/// A run killed with SIGKILL in the middle leaves the store as it was; re-running completes
/// with the same result as a run that was never interrupted.
@Suite struct AtomicityTests {
    static let rows = 60_000

    func benchPipeline(_ scratch: URL) throws -> URL {
        let input = scratch.appendingPathComponent("input.csv")
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = [
            "python3", CLI.root.appendingPathComponent("scripts/gen_fixtures.py").path,
            "--bench", String(Self.rows), "--out", input.path,
        ]
        try generator.run()
        generator.waitUntilExit()
        #expect(generator.terminationStatus == 0)
        return try CLI.crmPipeline(
            "kill-test", in: scratch,
            fields: "{name: 联系人, phone: 手机, tax_id: 统一社会信用代码, company: 客户名称, owner: 负责人, address: 地址}")
    }

    func exports(_ store: URL, _ scratch: URL) throws -> (master: String, xref: [String]) {
        let master = try CLI.export("master", store: store, to: scratch)
        // batch ids differ between runs by design: compare the cross-reference without them
        let xref = parseCSV(try CLI.export("xref", store: store, to: scratch)).map {
            "\($0["source_system"]!),\($0["source_id"]!),\($0["customer_key"]!),\($0["state"]!)"
        }
        return (master, xref)
    }

    /// Starts a run into `store`, waits until `growing` holds a good part of its rows, kills it.
    func killMidRun(_ pipeline: URL, store: URL, growing: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["run", pipeline.path, "--store", "sqlite:\(store.path)", "--as-of", "2026-11-22T03:00:00+08:00"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: growing)[.size] as? Int) ?? 0
            if size > 2_000_000 { break }
            usleep(20_000)
        }
        try #require(process.isRunning, "the run finished before it could be killed: raise AtomicityTests.rows")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
    }

    /// Re-runs into the killed store and compares it with a run that was never interrupted.
    func expectResumedEqualsClean(_ pipeline: URL, killed: URL, _ scratch: URL) throws {
        let resumed = try CLI.run([
            "run", pipeline.path, "--store", "sqlite:\(killed.path)", "--as-of", "2026-11-22T03:00:00+08:00",
        ])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let clean = scratch.appendingPathComponent("clean.sqlite")
        let uninterrupted = try CLI.run([
            "run", pipeline.path, "--store", "sqlite:\(clean.path)", "--as-of", "2026-11-22T03:00:00+08:00",
        ])
        #expect(uninterrupted.status == 0)
        let (killedMaster, killedXref) = try exports(killed, scratch)
        let (cleanMaster, cleanXref) = try exports(clean, scratch)
        #expect(killedMaster == cleanMaster)
        #expect(killedXref == cleanXref)
        #expect(killedXref.count == Self.rows)
    }

    /// A batch into an existing store writes through the WAL: killed, it leaves none of its rows.
    @Test func aKilledRunLeavesNoPartOfItsBatch() throws {
        let scratch = try CLI.scratch()
        let pipeline = try benchPipeline(scratch)
        let killed = scratch.appendingPathComponent("killed.sqlite")
        // An empty file is an empty SQLite store, which the run migrates and writes through its WAL.
        #expect(FileManager.default.createFile(atPath: killed.path, contents: nil))
        try killMidRun(pipeline, store: killed, growing: killed.path + "-wal")

        let db = try DatabaseQueue(path: killed.path)
        let (integrity, customers, xref, batches) = try db.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA integrity_check"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM customers"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM xref"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM batches")
            )
        }
        #expect(integrity == "ok")
        #expect(customers == 0)
        #expect(xref == 0)
        #expect(batches == 0)
        try db.close()
        try expectResumedEqualsClean(pipeline, killed: killed, scratch)
    }

    /// A first load builds the store in a side file and renames it at the end: killed, it leaves
    /// no store at all, and the next run starts over.
    @Test func aKilledFirstLoadLeavesNoStore() throws {
        let scratch = try CLI.scratch()
        let pipeline = try benchPipeline(scratch)
        let killed = scratch.appendingPathComponent("killed.sqlite")
        try killMidRun(pipeline, store: killed, growing: killed.path + "-building")

        #expect(!FileManager.default.fileExists(atPath: killed.path))
        let health = try CLI.run(["health", "--store", "sqlite:\(killed.path)"])
        #expect(health.status != 0)
        #expect(health.stderr.contains("no store at"), "\(health.stderr)")
        try expectResumedEqualsClean(pipeline, killed: killed, scratch)
        #expect(!FileManager.default.fileExists(atPath: killed.path + "-building"))
    }
}
