import Foundation
import Health
import Load

/// Runs the tests of one test file: each in a store of its own under a scratch folder, at the
/// file's fixed clock, with the test key, its alerts captured, never sent.
package struct PipelineTestRunner {
    /// The key secret of every test run: keys made with it are reversible, as fixtures' are.
    package static let keySecret = "crmbridge-test-key-not-for-production"

    package let file: PipelineTestFile
    let config: PipelineConfig

    /// Loads the pipeline under test. Its `${VAR}`s take placeholders (the store, the webhook
    /// URLs, the key secret are the test's own), so that a test never depends on the machine.
    package init(file: PipelineTestFile) throws(ConfigError) {
        self.file = file
        let text: String
        do {
            text = try String(contentsOfFile: file.pipeline, encoding: .utf8)
        } catch {
            let line = Self.line(of: "pipeline", in: file.text)
            throw ConfigError([
                ConfigIssue(file: file.path, line: line, column: 1, message: "cannot read the pipeline file \(file.pipeline)")
            ])
        }
        var environment = ["CRMBRIDGE_KEY_SECRET": Self.keySecret]
        for name in Self.variables(in: text) where environment[name] == nil {
            environment[name] = "https://crmbridge-test.invalid/\(name)"
        }
        var config = try PipelineLoader.parse(text, file: file.pipeline, environment: environment)
        config.secret = Array(Self.keySecret.utf8)
        self.config = config
        try checkInputs()
    }

    /// Every input names a source of the pipeline, and every input file exists.
    private func checkInputs() throws(ConfigError) {
        var issues: [ConfigIssue] = []
        let systems = config.sources.map(\.system)
        for test in file.tests {
            for input in test.inputs {
                if !systems.contains(input.system) {
                    issues.append(
                        ConfigIssue(
                            file: file.path, line: input.line, column: input.column,
                            message:
                                "the pipeline has no source '\(input.system)': its sources are \(systems.joined(separator: ", "))"
                        ))
                } else if case .file(let path) = input.content, !FileManager.default.fileExists(atPath: resolve(path)) {
                    issues.append(
                        ConfigIssue(
                            file: file.path, line: input.line, column: input.column,
                            message: "no input file \(path) (relative to the test file's folder)"))
                }
            }
        }
        if !issues.isEmpty { throw ConfigError(issues) }
    }

    private func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: file.path).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path
    }

    /// Runs one test; a run that stops (a store error, a mapped column missing from an input)
    /// is the test's failure, with the runner's message.
    package func run(_ test: PipelineTestCase, number: Int) -> Result<TestOutcome, TestRunError> {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            var config = self.config
            config.sources = try config.sources.compactMap { source in
                guard let input = test.inputs.first(where: { $0.system == source.system }) else { return nil }
                switch input.content {
                case .file(let path):
                    var source = source
                    source.path = resolve(path)
                    return source
                case .rows(let rows):
                    return try InlineRows.write(rows, for: source, in: scratch)
                }
            }
            config.store = scratch.appendingPathComponent("test.sqlite").path
            var options = RunOptions()
            options.asOf = test.asOf
            options.batchID = String(format: "00000000-0000-4000-8000-%012d", number)
            options.captureAlerts = true
            options.recordLocators = true
            options.wait = 0
            let summary = try Runner(config: config, options: options).run()
            var outcome = TestOutcome()
            outcome.take(summary)
            let store = try SQLiteStore(path: config.store, readOnly: true)
            try outcome.read(store, config: config, asOf: test.asOf, staleDays: test.expect.staleDays)
            return .success(outcome)
        } catch let error as RunError {
            return .failure(TestRunError(message: "the run stopped: \(error.description)"))
        } catch {
            return .failure(TestRunError(message: "the run stopped: \(error)"))
        }
    }

    /// `${NAME}` references without a default.
    private static func variables(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "}") else { break }
            let inner = rest[..<end]
            if !inner.contains(":-") { names.append(String(inner)) }
            rest = rest[end...]
        }
        return names
    }

    /// The line of a top-level key, for an issue about its value.
    private static func line(of key: String, in text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.hasPrefix("\(key):") } ?? 0) + 1
    }
}

extension PipelineTestRunner {
    /// Runs every test of the file in turn.
    package func runAll() -> [PipelineTestResult] {
        file.tests.enumerated().map { index, test in
            let started = Date()
            var result = PipelineTestResult(
                file: file.path, name: test.name, line: test.line, seconds: 0, failures: [], outcome: nil)
            switch run(test, number: index + 1) {
            case .success(let outcome):
                result.outcome = outcome
                result.failures = outcome.failures(against: test.expect)
            case .failure(let error):
                result.failures = [TestFailure(line: test.line, message: maskPhones(error.message))]
            }
            result.seconds = Date().timeIntervalSince(started)
            return result
        }
    }
}

/// Why a test's run gave no outcome.
package struct TestRunError: Error, Sendable {
    package var message: String
}
