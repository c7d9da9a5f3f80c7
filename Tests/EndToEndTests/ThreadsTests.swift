import Foundation
import Testing

/// `--threads`: normalizing on worker threads changes nothing the store or the summary holds.
@Suite struct ThreadsTests {
    /// One normalizing thread and four give the same summary and the same store, byte for byte
    /// but the batch ids: on the demo (every outcome there is, several files) and on a file of
    /// many chunks.
    @Test func fourThreadsLoadWhatOneLoads() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = [
            "python3", CLI.root.appendingPathComponent("scripts/gen_fixtures.py").path,
            "--bench", "6000", "--out", scratch.appendingPathComponent("input.csv").path,
        ]
        try generator.run()
        generator.waitUntilExit()
        try #require(generator.terminationStatus == 0)
        let bench = try CLI.crmPipeline(
            "threads", in: scratch,
            fields: "{name: 联系人, phone: 手机, landline: 座机, tax_id: 统一社会信用代码, company: 客户名称, owner: 负责人, address: 地址}")
        for (name, pipeline) in [("demo", CLI.root.appendingPathComponent("pipelines/demo.yml")), ("bench", bench)] {
            var results: [(summary: String, tables: [String])] = []
            for threads in [1, 4] {
                let store = scratch.appendingPathComponent("\(name)-\(threads).sqlite")
                let result = try CLI.run([
                    "run", pipeline.path, "--store", "sqlite:\(store.path)", "--as-of", "2026-11-22T03:00:00+08:00",
                    "--threads", String(threads), "--json",
                ])
                #expect(result.status == 0, "\(result.stderr)")
                var summary = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
                let batch = try #require(summary["batch_id"] as? String)
                // The anomalies name the batch too.
                for key in ["batch_id", "seconds", "rows_per_second", "timings", "store", "anomalies"] { summary[key] = nil }
                let json = try JSONSerialization.data(withJSONObject: summary, options: .sortedKeys)
                let text = String(decoding: json, as: UTF8.self)
                let tables = try ["master", "xref", "rejects"].map { table in
                    try CLI.export(table, store: store, to: scratch).replacing(batch, with: "BATCH")
                }
                results.append((text, tables))
            }
            #expect(results[0].summary == results[1].summary, "\(name)")
            #expect(results[0].tables == results[1].tables, "\(name)")
            if name == "bench" { #expect(results[0].summary.contains("\"read\":6000")) }
        }
    }

    @Test func threadsOutsideOneTo256AreRefused() throws {
        let result = try CLI.run(["run", "pipelines/demo.yml", "--threads", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--threads takes a number of threads from 1 to 256"))
    }
}
