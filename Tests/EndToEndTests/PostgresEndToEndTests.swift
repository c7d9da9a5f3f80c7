import Foundation
import PostgresTestServer
import Testing

/// The real binary against a real PostgreSQL server (`PostgresTestServer`): the same input gives
/// the same exports, byte for byte, and the same health as SQLite; runners at once serialize;
/// a killed runner, a stopped server and a wrong password leave the store as it was.
@Suite struct PostgresEndToEndTests {
    static let asOf = "2026-11-22T03:00:00+08:00"

    /// A store URL in a fresh schema of the shared server.
    func store() throws -> String { try PostgresTestServer.shared().url(schema: PostgresTestServer.schema()) }

    func demo(into store: String) throws -> CLI.Result {
        let result = try CLI.run(["run", "pipelines/demo.yml", "--store", store, "--as-of", Self.asOf, "--json"])
        #expect([0, 3].contains(result.status), "\(result.stderr)")
        return result
    }

    /// Every export table of a store, as CSV and JSON Lines.
    func exports(of store: String) throws -> [String: String] {
        var outputs: [String: String] = [:]
        for table in ["master", "xref", "rejects", "interactions"] {
            for format in ["csv", "jsonl"] {
                let result = try CLI.run(["export", table, "--store", store, "--format", format])
                #expect(result.status == 0, "export \(table): \(result.stderr)")
                outputs["export \(table) \(format)"] = result.stdout
            }
        }
        return outputs
    }

    /// Every command's output on one store, but where and when it was measured.
    func outputs(of store: String, in scratch: URL) throws -> [String: String] {
        var outputs = try exports(of: store)
        let xlsx = scratch.appendingPathComponent("master-\(UUID().uuidString).xlsx")
        let workbook = try CLI.run(["export", "master", "--store", store, "--format", "xlsx", "--out", xlsx.path])
        #expect(workbook.status == 0, "\(workbook.stderr)")
        let scans: [String: [String]] = [
            "scan gaps": ["scan", "gaps", "--store", store, "--as-of", Self.asOf],
            "scan stale": ["scan", "stale", "--store", store, "--days", "7", "--as-of", Self.asOf],
            "scan consistency": [
                "scan", "consistency", "--store", store, "--systems", "crm,erp", "--fields", "owner,name", "--sample", "50",
                "--seed", "1", "--max-diff", "1",
            ],
        ]
        for (name, arguments) in scans {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            outputs[name] = result.stdout
        }
        let key = parseCSV(outputs["export master csv"]!).first?["customer_key"] ?? ""
        let history = try CLI.run(["history", key, "--store", store, "--format", "json"])
        #expect(history.status == 0, "\(history.stderr)")
        outputs["history"] = history.stdout
        let health = try CLI.run(["health", "--store", store, "--format", "json", "--pipeline", "pipelines/demo.yml"])
        #expect([0, 3].contains(health.status), "\(health.stderr)")
        var report = try JSONSerialization.jsonObject(with: Data(health.stdout.utf8)) as? [String: Any] ?? [:]
        // Where and when it was measured, and the batches' UUIDs and times, differ by design.
        for key in ["generated_at", "store", "trend", "latest_batch"] { report[key] = nil }
        outputs["health"] = String(
            decoding: try JSONSerialization.data(withJSONObject: report, options: .sortedKeys), as: UTF8.self)
        return outputs
    }

    @Test func theDemoGivesTheSameExportsScansAndHealthAsSQLite() throws {
        let scratch = try CLI.scratch()
        let sqlite = "sqlite:\(scratch.appendingPathComponent("demo.sqlite").path)"
        let postgres = try store()
        let (fromSQLite, fromPostgres) = (try demo(into: sqlite), try demo(into: postgres))
        let (a, b) = (try summary(fromSQLite), try summary(fromPostgres))
        let counts = { (s: Summary) in [s.overall.read, s.overall.merged, s.overall.pending, s.overall.rejected] }
        #expect(counts(b) == counts(a))
        #expect(a.overall.read == 127)
        #expect(b.metrics?.map { "\($0.name) \($0.value ?? -1)" } == a.metrics?.map { "\($0.name) \($0.value ?? -1)" })
        #expect(b.id_match_by_system == a.id_match_by_system)
        // Batch UUIDs differ between the two runs: compare with them masked.
        let (sqliteOut, postgresOut) = (try outputs(of: sqlite, in: scratch), try outputs(of: postgres, in: scratch))
        #expect(sqliteOut.count == postgresOut.count)
        for (name, expected) in sqliteOut {
            let got = postgresOut[name] ?? ""
            #expect(masking(got, a.batch_id, b.batch_id) == expected, "\(name)")
        }
        #expect(parseCSV(sqliteOut["export master csv"] ?? "").count == 51, "the demo's 51 customers")
        let again = try CLI.run(["run", "pipelines/demo.yml", "--store", postgres, "--as-of", Self.asOf, "--json"])
        let skipped = try summary(again).files
        #expect(!skipped.isEmpty && skipped.allSatisfy { $0.status == "skipped" }, "a re-run recognises every file")
        #expect(try outputs(of: postgres, in: scratch)["export master csv"] == postgresOut["export master csv"])
        let check = try CLI.run(["check", "pipelines/demo.yml"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func storeCopyMovesAStoreToPostgresAndBackVerified() throws {
        let scratch = try CLI.scratch()
        let sqlite = "sqlite:\(scratch.appendingPathComponent("demo.sqlite").path)"
        _ = try demo(into: sqlite)
        let postgres = try store()
        let there = try CLI.run(["store", "copy", sqlite, postgres])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("customers: 51 rows"), "\(there.stdout)")
        #expect(there.stdout.contains("export master: sha256 "))
        let back = "sqlite:\(scratch.appendingPathComponent("back.sqlite").path)"
        #expect(try CLI.run(["store", "copy", postgres, back]).status == 0)
        let expected = try outputs(of: sqlite, in: scratch)
        #expect(try exports(of: postgres) == (try exports(of: sqlite)))
        #expect(try outputs(of: back, in: scratch) == expected)
        // The copy is a working store: the next batch is numbered after the copied ones.
        let rerun = try CLI.run(["run", "pipelines/demo.yml", "--store", postgres, "--as-of", Self.asOf, "--force"])
        #expect([0, 3].contains(rerun.status), "\(rerun.stderr)")
        let refused = try CLI.run(["store", "copy", sqlite, postgres])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already holds 2 batch(es)"), "\(refused.stderr)")
        let forced = try CLI.run(["store", "copy", sqlite, postgres, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try exports(of: postgres) == (try exports(of: sqlite)))
    }

    @Test func fourRunnersAtOnceEndAsTheSameBatchesOneAfterAnother() throws {
        let scratch = try CLI.scratch()
        let pipelines = try splitBench(rows: 6_000, runners: 4, in: scratch)
        let shared = try store()
        let processes = try pipelines.map { pipeline in
            try start(["run", pipeline.path, "--store", shared, "--as-of", Self.asOf, "--wait", "300", "--json"])
        }
        for (process, output) in processes {
            process.waitUntilExit()
            let stderr = (try? String(contentsOf: output.appendingPathExtension("err"), encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "\(stderr)")
        }
        let summaries = try processes.map { try JSONDecoder().decode(Summary.self, from: Data(contentsOf: $0.1)).overall }
        #expect(summaries.map(\.read).reduce(0, +) == 6_000, "every row read once")
        for summary in summaries { #expect(summary.read == summary.merged + summary.pending + summary.rejected) }
        // The order the store's lock was granted: the order the batches got their rows.
        let schema = String(shared.split(separator: "=").last!)
        let granted = try PostgresTestServer.shared().psql("SELECT pipeline FROM \(schema).batches ORDER BY id")
            .split(separator: "\n").map(String.init)
        #expect(Set(granted).count == 4)
        let serial = try store()
        for name in granted {
            let result = try CLI.run([
                "run", scratch.appendingPathComponent("\(name).yml").path, "--store", serial, "--as-of", Self.asOf, "--json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        for table in ["master", "xref"] {
            let (concurrent, oneByOne) = (try exportWithoutBatches(table, shared), try exportWithoutBatches(table, serial))
            #expect(concurrent == oneByOne, "\(table)")
            #expect(concurrent.count > 1_000)
        }
        let metrics =
            "SELECT b.pipeline, m.metric, m.system, m.field, m.value FROM %@.metrics m JOIN %@.batches b ON b.id = m.batch ORDER BY 1, 2, 3, 4"
        let serialSchema = String(serial.split(separator: "=").last!)
        #expect(
            try PostgresTestServer.shared().psql(String(format: metrics, schema, schema))
                == PostgresTestServer.shared().psql(String(format: metrics, serialSchema, serialSchema)))
    }

    @Test func aRunnerKilledMidBatchLeavesTheStoreAsItWasAndTheNextProceeds() throws {
        let scratch = try CLI.scratch()
        let shared = try store()
        _ = try demo(into: shared)
        let before = try exports(of: shared)
        let pipeline = try splitBench(rows: 60_000, runners: 1, in: scratch)[0]
        let (process, _) = try start(["run", pipeline.path, "--store", shared, "--as-of", Self.asOf])
        try waitForBatch(of: process, schema: String(shared.split(separator: "=").last!))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try exports(of: shared) == before, "nothing of the killed batch")
        let next = try CLI.run(["run", pipeline.path, "--store", shared, "--as-of", Self.asOf, "--wait", "30", "--json"])
        #expect(next.status == 0, "the lock went with the killed runner's connection: \(next.stderr)")
        #expect(try summary(next).overall.read == 60_000)
    }

    @Test func aServerStoppedMidBatchFailsTheRunNamingTheStoreWithoutItsPassword() throws {
        let server = try PostgresTestServer.dedicated()
        defer { server.stop() }
        let scratch = try CLI.scratch()
        let url = server.passwordURL(schema: "crmbridge")
        let pipeline = try splitBench(rows: 60_000, runners: 1, in: scratch)[0]
        let (process, output) = try start(["run", pipeline.path, "--store", url, "--as-of", Self.asOf])
        try waitForBatch(of: process, schema: "crmbridge", on: server)
        try server.stopFast()
        process.waitUntilExit()
        let stderr = try String(contentsOf: output.appendingPathExtension("err"), encoding: .utf8)
        #expect(process.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("postgres://crm_etl:***@127.0.0.1:\(server.port)/postgres"), "\(stderr)")
        #expect(stderr.contains("rolled back"), "\(stderr)")
        #expect(!stderr.contains(PostgresTestServer.passwordRole.password))
    }

    @Test func aWrongPasswordExitsOneWithoutPrintingIt() throws {
        let url = try PostgresTestServer.shared().passwordURL(schema: "crmbridge", password: "wr0ng-Pass")
        for arguments in [
            ["run", "pipelines/demo.yml", "--store", url, "--as-of", Self.asOf, "--json"],
            ["export", "master", "--store", url], ["health", "--store", url],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status == 1, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("password authentication failed"), "\(result.stderr)")
            #expect(result.stderr.contains("postgres://crm_etl:***@127.0.0.1"), "\(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("wr0ng-Pass"))
        }
    }

    @Test func aStatementTimeoutFailsTheRunNamingTheStoreAndWhatToDo() throws {
        let scratch = try CLI.scratch()
        let server = try PostgresTestServer.shared()
        let url = server.passwordURL(schema: PostgresTestServer.schema())
        _ = try demo(into: url)
        let before = try exports(of: url)
        let pipeline = try splitBench(rows: 20_000, runners: 1, in: scratch)[0]
        // 1 ms: the batch's first large statement runs past it, wherever that falls.
        let result = try CLI.run(
            ["run", pipeline.path, "--store", url + "&options=-c%20statement_timeout%3D1", "--as-of", Self.asOf])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("postgres://crm_etl:***@127.0.0.1:\(server.port)/postgres"), "\(result.stderr)")
        #expect(result.stderr.contains("statement timeout"), "\(result.stderr)")
        #expect(result.stderr.contains("raise it for crmbridge's role"), "what to do: \(result.stderr)")
        #expect(!result.stderr.contains(PostgresTestServer.passwordRole.password))
        #expect(try exports(of: url) == before, "nothing of the failed batch")
    }

    /// Whether this process may mount a tmpfs: root, and a machine (or container) that lets it.
    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let probe = URL(fileURLWithPath: "/tmp/crmbridge-mount-probe-\(UUID().uuidString.prefix(8).lowercased())")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else {
            return false
        }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard let mount = try? CLI.run(["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path], executable: "/bin/mount"),
            mount.status == 0
        else { return false }
        _ = try? CLI.run([probe.path], executable: "/bin/umount")
        return true
    }()

    @Test(.enabled(if: canMountTmpfs, "mounting a small tmpfs for the store's tablespace takes root, where mounts are allowed"))
    func aFullDiskOnTheServerFailsTheRunAndLeavesTheStoreAsItWas() throws {
        // The store's tables in a tablespace on a 4 MB tmpfs; the server's own files (its WAL)
        // stay where they were, so that the server itself carries on.
        let disk = URL(fileURLWithPath: "/tmp/crmbridge-pgfull-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: disk) }
        let mount = try CLI.run(["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", disk.path], executable: "/bin/mount")
        try #require(mount.status == 0, "cannot mount a tmpfs on \(disk.path): \(mount.stderr)")
        defer { _ = try? CLI.run(["-l", disk.path], executable: "/bin/umount") }
        _ = try CLI.run(["postgres:postgres", disk.path], executable: "/bin/chown")
        let server = try PostgresTestServer.dedicated()
        defer { server.stop() }
        try server.psql("CREATE TABLESPACE small LOCATION '\(disk.path)'")
        try server.psql("GRANT CREATE ON TABLESPACE small TO \(PostgresTestServer.passwordRole.name)")
        let scratch = try CLI.scratch()
        let url = server.passwordURL(schema: "crmbridge") + "&options=-c%20default_tablespace%3Dsmall"
        _ = try demo(into: url)
        #expect(try server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'crmbridge' AND tablespace = 'small'") != "0")
        let before = try exports(of: url)
        let pipeline = try splitBench(rows: 30_000, runners: 1, in: scratch)[0]
        let result = try CLI.run(["run", pipeline.path, "--store", url, "--as-of", Self.asOf])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("postgres://crm_etl:***@127.0.0.1:\(server.port)/postgres"), "\(result.stderr)")
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
        #expect(result.stderr.contains("free space on the server"), "what to do: \(result.stderr)")
        #expect(result.stderr.contains("rolled back"), "\(result.stderr)")
        #expect(!result.stderr.contains(PostgresTestServer.passwordRole.password))
        #expect(try exports(of: url) == before, "nothing of the failed batch")
    }

    // MARK: - Helpers

    func summary(_ result: CLI.Result) throws -> Summary {
        try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
    }

    /// `text` with `batch` replaced by `expected`.
    func masking(_ text: String, _ expected: String, _ batch: String) -> String {
        text.replacingOccurrences(of: batch, with: expected)
    }

    /// An export as rows without its batch ids, which differ from run to run by design.
    func exportWithoutBatches(_ table: String, _ store: String) throws -> [String] {
        let result = try CLI.run(["export", table, "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        return parseCSV(result.stdout).map { row in row.filter { $0.key != "batch_id" }.sorted { $0.key < $1.key }.description }
    }

    /// `rows` synthetic CRM rows dealt out to `runners` pipelines (`s1.yml` …, one source
    /// system each), so that runners share customers but not source ids.
    func splitBench(rows: Int, runners: Int, in scratch: URL) throws -> [URL] {
        let all = scratch.appendingPathComponent("all.csv")
        let generator = try start(
            [
                "python3", CLI.root.appendingPathComponent("scripts/gen_fixtures.py").path, "--bench", String(rows), "--out",
                all.path,
            ],
            executable: "/usr/bin/env")
        generator.0.waitUntilExit()
        #expect(generator.0.terminationStatus == 0)
        let lines = try String(contentsOf: all, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return try (1...runners).map { runner in
            let name = "s\(runner)"
            let body = lines.dropFirst().enumerated().filter { $0.offset % runners == runner - 1 && !$0.element.isEmpty }
            try ([lines[0]] + body.map(\.element)).joined(separator: "\n").appending("\n")
                .write(to: scratch.appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
            let pipeline = scratch.appendingPathComponent("\(name).yml")
            try """
            pipeline: \(name)
            key: {demo: true}
            sources:
              - system: \(name)
                path: \(name).csv
                id: 客户编号
                updated_at: 更新时间
                fields: {name: 联系人, phone: 手机, tax_id: 统一社会信用代码, company: 客户名称, owner: 负责人, address: 地址, landline: 座机}
            """.write(to: pipeline, atomically: true, encoding: .utf8)
            return pipeline
        }
    }

    /// Starts a process with its stdout into a file, whose URL it returns, and its stderr beside it (`.err`).
    func start(_ arguments: [String], executable: String? = nil) throws -> (Process, URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        let output = try CLI.scratch().appendingPathComponent("output")
        var handles: [FileHandle] = []
        for file in [output, output.appendingPathExtension("err")] {
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            handles.append(try FileHandle(forWritingTo: file))
        }
        process.standardOutput = handles[0]
        process.standardError = handles[1]
        try process.run()
        for handle in handles { try handle.close() }
        return (process, output)
    }

    /// Waits until a run's batch has written a good part of its cross-reference: uncommitted rows
    /// take room in the table as they are written.
    func waitForBatch(of process: Process, schema: String, on server: PostgresTestServer? = nil) throws {
        let server = try server ?? PostgresTestServer.shared()
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline {
            let size = try server.psql("SELECT coalesce(pg_relation_size(to_regclass('\(schema).xref')), 0)")
            if (Int(size) ?? 0) > 4_000_000 { break }
            usleep(100_000)
        }
        try #require(process.isRunning, "the run finished before it could be cut off: raise its rows")
    }
}
