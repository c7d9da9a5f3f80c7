import Foundation
import Testing

/// `timings` in the run summary: where a night's time went.
@Suite struct TimingsTests {
    struct Timed: Decodable {
        struct Timings: Decodable {
            struct File: Decodable {
                var system: String
                var path: String
                var seconds: Double
                var merge: Double
            }
            var files: [File]
            var merge: Double
            var pending_links: Double
            var index_rebuild: Double
            var metrics: Double
            var commit: Double
            var total: Double
        }
        var seconds: Double
        var files: [Summary.File]
        var timings: Timings
    }

    @Test func theJSONSummaryTimesEachPhaseWithinTheRunsSeconds() throws {
        let (scratch, _, result) = try runDemo()
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Timed.self, from: Data(result.stdout.utf8))
        let timings = summary.timings
        #expect(timings.files.map(\.path) == summary.files.map(\.path))
        let phases = [timings.pending_links, timings.index_rebuild, timings.metrics, timings.commit]
        for value in phases + [timings.merge, timings.total] + timings.files.flatMap({ [$0.seconds, $0.merge] }) {
            #expect(value >= 0)
            #expect(value == (value * 1000).rounded() / 1000)  // milliseconds
        }
        for file in timings.files { #expect(file.merge <= file.seconds) }
        // Each rounded down to the millisecond on its own.
        #expect(abs(timings.merge - timings.files.reduce(0) { $0 + $1.merge }) <= 0.001 * Double(timings.files.count + 1))
        let sum = timings.files.reduce(0) { $0 + $1.seconds } + phases.reduce(0, +)
        #expect(sum <= summary.seconds)
        #expect(timings.total <= summary.seconds)
        #expect(timings.commit > 0)  // a first load's commit: rename and fsync
    }

    @Test(arguments: [("zh-CN", "耗时：读取文件 "), ("en", "time: files ")])
    func theTextSummaryPrintsTheTimingsLine(language: String, start: String) throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try CLI.run([
            "run", "pipelines/demo.yml", "--store", "sqlite:\(scratch.appendingPathComponent("demo.sqlite").path)",
            "--as-of", "2026-11-22T03:00:00+08:00", "--lang", language,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("  " + start) }
        #expect(line != nil, "\(result.stdout)")
        #expect(line?.contains(language == "en" ? "commit " : "提交 ") == true)
    }
}
