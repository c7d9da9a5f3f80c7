import Foundation
import Testing
import Transform

@testable import Load
@testable import Pipeline

/// The runner's cancel path: a store that fails in the middle of a file stops the reading thread
/// (the batch ends with the store's error, nothing left blocked). The stale path, a row found
/// unchanged that the batch has rewritten since, is `ChangeDetectionTests`' (end to end).
@Suite struct BatchRunTests {
    /// A store session that counts merges and can fail at one.
    final class Session: BatchSession, @unchecked Sendable {
        struct Broken: Error {}
        let batch: BatchInfo
        var failAtMerge: Int?
        var merges = 0
        var merged: [MergeEntry] = []
        /// Whether the store holds rows of every system (none unchanged): files are then read ahead.
        var holdsRows = false

        init(batch: BatchInfo) { self.batch = batch }

        func batchThatLoaded(system: String, sha256: String) throws -> String? { nil }
        func recordFile(_ file: LoadedFile) throws {}
        func merge(_ entries: [MergeEntry]) throws -> ChunkMerge {
            merges += 1
            if merges == failAtMerge { throw Broken() }
            merged += entries
            return .merged(entries.map { _ in .created })
        }
        func rawDigestSnapshot(system: String) throws -> RawDigestSnapshot? {
            holdsRows ? RawDigestSnapshot(NoDigests()) : nil
        }
        func isCurrent(_ snapshot: RawDigestSnapshot) -> Bool { true }
        func reject(_ reject: RejectRow) throws {}
        func resolvePending() throws -> PendingResolution { PendingResolution() }
        func recordMetrics(_ rows: [MetricRow]) throws {}
        func finish(summary: String) throws {}
        func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws {}
        func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
            let empty = PresenceCounts(filled: tests.map { _ in 0 })
            return PresenceReport(overall: empty, bySystem: [:], byOwner: [:])
        }
    }

    /// A snapshot of a store that holds no digest: every row is normalized and merged.
    final class NoDigests: RawDigestSource {
        func stored(_ sourceID: String) -> (rawDigest: Int64, pending: Bool)? { nil }
        func close() {}
    }

    /// A pipeline of one file of `rows` keyed rows per system (ids `K0`…, `ERP-K0`…), in a
    /// scratch folder.
    func pipeline(rows: Int, systems: [String] = ["crm"]) throws -> PipelineConfig {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var sources: [String] = []
        for system in systems {
            let prefix = system == "crm" ? "" : system.uppercased() + "-"
            let lines =
                ["id,phone,tax"]
                + (0..<rows).map { "\(prefix)K\($0),1380013\(String(format: "%04d", $0 % 10_000)),91440300MA5FXT4K8N" }
            try lines.joined(separator: "\n")
                .write(to: folder.appendingPathComponent("\(system).csv"), atomically: true, encoding: .utf8)
            sources.append("  - {system: \(system), path: \(system).csv, id: id, fields: {phone: phone, tax_id: tax}}")
        }
        let yaml = (["pipeline: test", "key: {demo: true}", "sources:"] + sources).joined(separator: "\n")
        return try PipelineLoader.parse(yaml, file: folder.appendingPathComponent("test.yml").path, environment: [:])
    }

    func run(_ config: PipelineConfig, _ session: Session, threads: Int = 1, feed: FileFeed? = nil) throws -> BatchRun {
        var options = RunOptions()
        options.threads = threads
        let feed = feed ?? FileFeed(config: config, options: options, batch: session.batch)
        defer { feed.close() }
        var run = BatchRun(
            config: config, options: options, batch: session.batch, session: session,
            summary: RunSummary(
                batchID: "b", pipeline: "test", store: "", asOf: "", dryRun: false,
                seconds: 0, rowsPerSecond: 0))
        try run.loadSources(from: feed)
        return run
    }

    static func batch() -> BatchInfo {
        BatchInfo(
            id: "b", pipeline: "test", startedAt: Date(), asOf: Date(), survivorship: Survivorship(),
            timestamps: TimestampParser(timeZone: TimestampParser.defaultTimeZone))
    }

    /// With workers too (`threads` > 1): the reader and every worker stop.
    @Test(arguments: [1, 2, 4])
    func aStoreFailingMidFileStopsTheReaderAndEndsTheBatch(threads: Int) throws {
        // Many chunks: the reading thread is far ahead, blocked on a full channel, when the store fails.
        let config = try pipeline(rows: 20_000)
        let session = Session(batch: Self.batch())
        session.failAtMerge = 3
        #expect(throws: Session.Broken.self) { _ = try run(config, session, threads: threads) }
        #expect(session.merges == 3)  // nothing merged after the failure
    }

    /// Whatever the normalizing threads, the store takes the rows in file order.
    @Test(arguments: [1, 2, 4])
    func everyRowIsMergedOnceInFileOrderWhenTheStoreHolds(threads: Int) throws {
        let config = try pipeline(rows: 2_000)
        let session = Session(batch: Self.batch())
        let run = try run(config, session, threads: threads)
        #expect(session.merged.count == 2_000)
        let ids = session.merged.map { entry -> String in
            guard case .staged(let staged) = entry else { return "" }
            return staged.record.sourceID
        }
        #expect(ids == (0..<2_000).map { "K\($0)" })
        #expect(run.summary.bySystem["crm"]?.read == 2_000)
        #expect(run.summary.bySystem["crm"]?.merged == 2_000)
    }

    /// The files behind the one merging are read ahead on threads of their own (the store holds
    /// rows of their systems); the store still takes every row once, file after file, in order.
    @Test(arguments: [1, 2])
    func filesReadAheadAreMergedOnceInBatchOrder(threads: Int) throws {
        let systems = ["crm", "erp", "web"]
        let config = try pipeline(rows: 5_000, systems: systems)
        let session = Session(batch: Self.batch())
        session.holdsRows = true
        let run = try run(config, session, threads: threads)
        let ids = session.merged.map { entry -> String in
            guard case .staged(let staged) = entry else { return "" }
            return staged.record.sourceID
        }
        #expect(ids == (0..<5_000).map { "K\($0)" } + (0..<5_000).map { "ERP-K\($0)" } + (0..<5_000).map { "WEB-K\($0)" })
        #expect(run.summary.files.map(\.status) == ["loaded", "loaded", "loaded"])
        #expect(systems.map { run.summary.bySystem[$0]?.merged } == [5_000, 5_000, 5_000])
    }

    /// A store failing while files are read ahead ends the batch: every reading, draining and
    /// normalizing thread stops (the test would hang otherwise).
    @Test(arguments: [1, 2])
    func aStoreFailingWhileFilesAreReadAheadStopsEveryThread(threads: Int) throws {
        let config = try pipeline(rows: 20_000, systems: ["crm", "erp", "web"])
        let session = Session(batch: Self.batch())
        session.holdsRows = true
        session.failAtMerge = 3
        #expect(throws: Session.Broken.self) { _ = try run(config, session, threads: threads) }
        #expect(session.merges == 3)
    }

    /// A batch waiting for the store's lock reads ahead up to its bound, then stops reading;
    /// once it holds the lock it merges what it read ahead and the rest, every row once, in order.
    @Test(arguments: [1, 2])
    func aWaitingBatchReadsAheadUpToItsBoundAndThenMergesEveryRowInOrder(threads: Int) throws {
        let config = try pipeline(rows: 40_000)
        let session = Session(batch: Self.batch())
        var options = RunOptions()
        options.threads = threads
        let feed = FileFeed(config: config, options: options, batch: session.batch)
        let bound = FileFeed.maxHeld * 512
        let giveUp = Date().addingTimeInterval(60)
        while feed.recordsAhead < bound && Date() < giveUp {
            feed.readAhead(session, until: Date().addingTimeInterval(0.1))
        }
        feed.readAhead(session, until: Date().addingTimeInterval(0.3))
        #expect(feed.recordsAhead == bound, "full, it reads no further")
        #expect(session.merges == 0, "nothing merged while waiting")
        let run = try run(config, session, threads: threads, feed: feed)
        let ids = session.merged.map { entry -> String in
            guard case .staged(let staged) = entry else { return "" }
            return staged.record.sourceID
        }
        #expect(ids == (0..<40_000).map { "K\($0)" })
        #expect(run.summary.bySystem["crm"]?.read == 40_000)
        #expect(run.summary.files.map(\.status) == ["loaded"])
    }

    @Test func eachFileIsTimedAndItsMergeIsPartOfIt() throws {
        let config = try pipeline(rows: 2_000)
        let session = Session(batch: Self.batch())
        let run = try run(config, session)
        let files = run.summary.timings.files
        #expect(files.count == 1)
        #expect(files.first?.system == "crm")
        #expect((files.first?.seconds ?? -1) >= (files.first?.merge ?? 0))
        #expect((files.first?.merge ?? -1) >= 0)
        #expect(run.summary.timings.merge == files.first?.merge)
    }

    /// `--threads` by default: the cores this process may use, as `nproc` counts them (`taskset`
    /// narrows both), not every core of the machine.
    @Test func theDefaultThreadsAreTheCoresTheProcessMayUse() throws {
        let nproc = Process()
        nproc.executableURL = URL(fileURLWithPath: "/usr/bin/nproc")
        let out = Pipe()
        nproc.standardOutput = out
        try nproc.run()
        nproc.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(RunOptions.defaultThreads == Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
