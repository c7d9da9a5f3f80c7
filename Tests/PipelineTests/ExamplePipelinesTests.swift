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

    @Test(arguments: try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yml") })
    func everyExampleIsValid(name: String) throws {
        let config = try Self.load(name)
        #expect(!config.sources.isEmpty)
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
