import Foundation
import Testing

@testable import Pipeline

/// The example pipeline files of `pipelines/` stay valid, and the CI gate reads what the demo reads.
@Suite struct ExamplePipelinesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("pipelines")
    static let environment = ["CRMBRIDGE_KEY_SECRET": "example-secret", "CORPUS": "/srv/corpus"]

    static func load(_ name: String) throws -> PipelineConfig {
        let path = folder.appendingPathComponent(name).path
        return try PipelineLoader.parse(
            try String(contentsOfFile: path, encoding: .utf8), file: path,
            environment: environment)
    }

    /// Beside the pipelines: their tests (`*.test.yml`) and holiday calendars (`holidays-*.yml`).
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []

    @Test(arguments: files.filter { $0.hasSuffix(".yml") && !$0.hasSuffix(".test.yml") && !$0.hasPrefix("holidays-") })
    func everyExampleIsValid(name: String) throws {
        let config = try Self.load(name)
        #expect(!config.sources.isEmpty)
    }

    @Test(arguments: files.filter { $0.hasSuffix(".test.yml") })
    func everyTestFileIsValid(name: String) throws {
        let file = try PipelineTestFile.load(Self.folder.appendingPathComponent(name).path)
        #expect(!file.tests.isEmpty)
        _ = try PipelineTestRunner(file: file)
    }

    @Test func theNightlyPipelineSkipsTheHolidaysOfItsCalendar() throws {
        let options = try Self.load("nightly.yml").anomalies
        #expect(options.holidays.isSuperset(of: ["2026-02-15", "2026-10-07", "2026-10-10"]))
        #expect(!options.holidays.contains("2026-10-08"))
    }

    @Test func theCIGateReadsTheDemoSources() throws {
        func sources(_ config: PipelineConfig) -> [String] {
            config.sources.map { source in
                "\(source.system) \(source.kind) \(source.path) \(source.format) \(source.id) \(source.mappedPaths)"
            }
        }
        let demo = try Self.load("demo.yml")
        let gate = try Self.load("ci-fixtures.yml")
        #expect(sources(gate) == sources(demo))
        #expect(gate.required == demo.required)
        #expect(gate.thresholds.count == 3)
    }
}
