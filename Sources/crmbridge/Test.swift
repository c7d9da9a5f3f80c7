import ArgumentParser
import Foundation
import Pipeline

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the tests of pipeline files: known inputs must give known results.",
        discussion: """
            Each test of a test file (format: docs/pipeline-format.md, "Test files") runs the pipeline \
            on its inputs in a throwaway store, at the file's as_of, with a test key; alerts are captured, \
            never sent. A failure prints the test file's line, what differs field by field and the source \
            record involved. Exit codes: 0 every test passed, 1 a test failed, 2 a test file or its \
            pipeline is invalid (FILE:LINE:COLUMN: message).
            """)

    @Argument(help: "The test files (YAML), e.g. pipelines/*.test.yml.")
    var files: [String]

    @Flag(help: "Rewrite each test's expect: from what its run produced (review the diff before committing).")
    var update = false

    @Option(help: "Also write the results as JUnit XML to this file, for CI systems.")
    var junit: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one test file") }
    }

    func run() throws {
        var results: [PipelineTestResult] = []
        var invalid = false
        for path in files {
            let runner: PipelineTestRunner
            do {
                runner = try PipelineTestRunner(file: try PipelineTestFile.load(path))
            } catch {
                for issue in error.issues { printError(issue.description) }
                invalid = true
                continue
            }
            let fileResults = runner.runAll()
            results += fileResults
            if update {
                let text = PipelineTestUpdate.rewrite(runner.file, results: fileResults)
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                } catch {
                    printError("crmbridge test: cannot write \(path): \(error.localizedDescription)")
                    throw ExitStatus.runFailed
                }
                print("updated \(path): \(fileResults.count) test\(fileResults.count == 1 ? "" : "s")")
                // A test whose run stopped has nothing to write: its expectations stay, and why is said.
                for result in fileResults where result.outcome == nil {
                    for failure in result.failures { printError("\(path):\(failure.line): \(result.name): \(failure.message)") }
                }
            }
        }
        if !results.isEmpty && !update { print(PipelineTestReport.text(results)) }
        if let junit {
            do {
                try Data(PipelineTestReport.junit(results).utf8).write(to: URL(fileURLWithPath: junit), options: .atomic)
            } catch {
                printError("crmbridge test: cannot write \(junit): \(error.localizedDescription)")
                throw ExitStatus.runFailed
            }
        }
        if invalid { throw ExitStatus.configError }
        if !update && results.contains(where: { !$0.passed }) { throw ExitStatus.runFailed }
    }
}
