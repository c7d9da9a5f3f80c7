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
        generator.arguments = ["python3", CLI.root.appendingPathComponent("scripts/gen_fixtures.py").path,
                               "--bench", String(Self.rows), "--out", input.path]
        try generator.run()
        generator.waitUntilExit()
        #expect(generator.terminationStatus == 0)
        return try CLI.crmPipeline("kill-test", in: scratch,
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

    @Test func aKilledRunLeavesNoPartOfItsBatch() throws {
        let scratch = try CLI.scratch()
        let pipeline = try benchPipeline(scratch)
        let killed = scratch.appendingPathComponent("killed.sqlite")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["run", pipeline.path, "--store", "sqlite:\(killed.path)", "--as-of", "2026-11-22T03:00:00+08:00"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the batch has written a good part of its rows to the WAL, then kill it.
        let wal = killed.path + "-wal"
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            if size > 2_000_000 { break }
            usleep(20_000)
        }
        try #require(process.isRunning, "the run finished before it could be killed: raise AtomicityTests.rows")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let db = try DatabaseQueue(path: killed.path)
        let (integrity, customers, xref, batches) = try db.read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM customers"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM xref"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM batches"))
        }
        #expect(integrity == "ok")
        #expect(customers == 0)
        #expect(xref == 0)
        #expect(batches == 0)
        try db.close()

        let resumed = try CLI.run(["run", pipeline.path, "--store", "sqlite:\(killed.path)", "--as-of", "2026-11-22T03:00:00+08:00"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let clean = scratch.appendingPathComponent("clean.sqlite")
        let uninterrupted = try CLI.run(["run", pipeline.path, "--store", "sqlite:\(clean.path)", "--as-of", "2026-11-22T03:00:00+08:00"])
        #expect(uninterrupted.status == 0)
        let (killedMaster, killedXref) = try exports(killed, scratch)
        let (cleanMaster, cleanXref) = try exports(clean, scratch)
        #expect(killedMaster == cleanMaster)
        #expect(killedXref == cleanXref)
        #expect(killedXref.count == Self.rows)
    }
}
