import Foundation
import PostgresTestServer
import Testing

/// A runner that waits for the store's lock reads and normalizes its files ahead; only the merges
/// wait for each other, and the result is that of the batches one after another in lock order.
extension PostgresEndToEndTests {
    /// `timings` of a run's JSON summary.
    func timings(_ result: CLI.Result) throws -> [String: Any] {
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return summary?["timings"] as? [String: Any] ?? [:]
    }

    func finished(_ process: Process, _ output: URL) throws -> CLI.Result {
        process.waitUntilExit()
        return CLI.Result(
            status: process.terminationStatus, stdout: try String(contentsOf: output, encoding: .utf8),
            stderr: (try? String(contentsOf: output.appendingPathExtension("err"), encoding: .utf8)) ?? "")
    }

    func schema(of store: String) -> String { String(store.split(separator: "=").last!) }

    @Test func aWaitingRunnerReadsAheadThenMergesAsIfItRanAfterTheLockHolder() throws {
        let scratch = try CLI.scratch()
        let pipelines = try splitBench(rows: 6_000, runners: 2, in: scratch)
        let shared = try store()
        let first = try CLI.run(["run", pipelines[0].path, "--store", shared, "--as-of", Self.asOf])
        #expect(first.status == 0, "\(first.stderr)")
        let release = try PostgresTestServer.shared().holdStoreLock(schema: schema(of: shared))
        let (process, output) = try start(
            ["run", pipelines[1].path, "--store", shared, "--as-of", Self.asOf, "--wait", "120", "--json"])
        sleep(4)
        #expect(process.isRunning, "waiting for the lock")
        release()
        let waited = try finished(process, output)
        #expect(waited.status == 0, "\(waited.stderr)")
        let timings = try timings(waited)
        #expect(timings["wait"] as? Double ?? 0 >= 2, "\(timings)")
        #expect(timings["read_ahead"] as? Int == 3_000, "every row read and normalized before the lock: \(timings)")
        let overall = try summary(waited).overall
        #expect(overall.read == 3_000 && overall.read == overall.merged + overall.pending + overall.rejected)
        let serial = try store()
        for pipeline in pipelines {
            #expect(try CLI.run(["run", pipeline.path, "--store", serial, "--as-of", Self.asOf]).status == 0)
        }
        for table in ["master", "xref", "rejects"] {
            #expect(try exportWithoutBatches(table, shared) == exportWithoutBatches(table, serial), "\(table)")
        }
    }

    /// The waiting runner found every row unchanged in a snapshot taken before another batch
    /// changed half of them: those are merged again, as they would be after that batch.
    @Test func rowsFoundUnchangedBeforeAnotherBatchCommittedAreMergedAgain() throws {
        let scratch = try CLI.scratch()
        let pipeline = try splitBench(rows: 3_000, runners: 1, in: scratch)[0]
        let update = scratch.appendingPathComponent("u.csv")
        let generator = try start(
            [
                "python3", CLI.root.appendingPathComponent("scripts/gen_fixtures.py").path, "--bench-update", "50", "--from",
                scratch.appendingPathComponent("s1.csv").path, "--out", update.path,
            ],
            executable: "/usr/bin/env")
        generator.0.waitUntilExit()
        let updating = scratch.appendingPathComponent("u.yml")
        try String(contentsOf: pipeline, encoding: .utf8)
            .replacingOccurrences(of: "pipeline: s1", with: "pipeline: u").replacingOccurrences(of: "s1.csv", with: "u.csv")
            .write(to: updating, atomically: true, encoding: .utf8)
        let again = ["run", pipeline.path, "--as-of", Self.asOf, "--force", "--json"]
        // One after another: the first load, the update, the first file again.
        let serial = try store()
        for arguments in [["run", pipeline.path, "--as-of", Self.asOf], ["run", updating.path, "--as-of", Self.asOf]] {
            #expect(try CLI.run(arguments + ["--store", serial]).status == 0)
        }
        let expected = try CLI.run(again + ["--store", serial])
        #expect(try summary(expected).overall.updated > 500, "the update's rows are written back")
        // At once: the first file again reads ahead while the test holds the lock, and is stopped
        // (SIGSTOP) while the update takes the lock and commits; then it goes on.
        let shared = try store()
        #expect(try CLI.run(["run", pipeline.path, "--store", shared, "--as-of", Self.asOf]).status == 0)
        let release = try PostgresTestServer.shared().holdStoreLock(schema: schema(of: shared))
        let (process, output) = try start(again + ["--store", shared, "--wait", "120"])
        sleep(3)
        kill(process.processIdentifier, SIGSTOP)
        release()
        let updated = try CLI.run(["run", updating.path, "--store", shared, "--as-of", Self.asOf, "--wait", "30"])
        kill(process.processIdentifier, SIGCONT)
        #expect(updated.status == 0, "\(updated.stderr)")
        let waited = try finished(process, output)
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(try timings(waited)["read_ahead"] as? Int == 3_000)
        let (got, want) = (try summary(waited).overall, try summary(expected).overall)
        let counts = { (counts: Summary.Counts) -> [Int] in [counts.read, counts.merged, counts.updated, counts.unchanged] }
        #expect(counts(got) == counts(want))
        for table in ["master", "xref"] {
            #expect(try exportWithoutBatches(table, shared) == exportWithoutBatches(table, serial), "\(table)")
        }
    }

    /// Two runs of one pipeline at once: the waiting one read the file ahead, the other loaded
    /// it meanwhile; holding the lock, the first drops what it read and skips the file.
    @Test func aFileAnotherRunLoadedWhileTheRunnerWaitedIsSkipped() throws {
        let scratch = try CLI.scratch()
        let pipeline = try splitBench(rows: 2_000, runners: 1, in: scratch)[0]
        let shared = try store()
        #expect(try CLI.run(["run", "pipelines/demo.yml", "--store", shared, "--as-of", Self.asOf]).status == 0)
        let release = try PostgresTestServer.shared().holdStoreLock(schema: schema(of: shared))
        let (process, output) = try start(
            ["run", pipeline.path, "--store", shared, "--as-of", Self.asOf, "--wait", "120", "--json"])
        sleep(3)
        kill(process.processIdentifier, SIGSTOP)
        release()
        let loaded = try CLI.run(["run", pipeline.path, "--store", shared, "--as-of", Self.asOf, "--json"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        let before = try exports(of: shared)
        kill(process.processIdentifier, SIGCONT)
        let waited = try finished(process, output)
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(try timings(waited)["read_ahead"] as? Int == 2_000)
        let files = try summary(waited).files
        #expect(files.map(\.status) == ["skipped"], "\(files)")
        #expect(try summary(waited).overall.read == 0)
        #expect(try exports(of: shared) == before, "nothing merged twice")
    }

    @Test func aRunnerThatWaitsPastItsWaitExitsFourAndWritesNothing() throws {
        let scratch = try CLI.scratch()
        let pipelines = try splitBench(rows: 2_000, runners: 2, in: scratch)
        let shared = try store()
        #expect(try CLI.run(["run", pipelines[0].path, "--store", shared, "--as-of", Self.asOf]).status == 0)
        let before = try exports(of: shared)
        let release = try PostgresTestServer.shared().holdStoreLock(schema: schema(of: shared))
        defer { release() }
        let busy = try CLI.run(["run", pipelines[1].path, "--store", shared, "--as-of", Self.asOf, "--wait", "2"])
        #expect(busy.status == 4, "\(busy.stderr)")
        #expect(busy.stderr.contains("another crmbridge run is writing"), "\(busy.stderr)")
        #expect(try exports(of: shared) == before)
        #expect(try PostgresTestServer.shared().psql("SELECT count(*) FROM \(schema(of: shared)).batches") == "1")
    }
}
