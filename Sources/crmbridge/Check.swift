import ArgumentParser
import Pipeline

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a pipeline file without running it.",
        discussion: """
            Checks the keys against the schema (unknown, missing, wrong type), resolves ${VAR}, \
            expands every source glob and reads each file's header to check the mapped columns. \
            Every problem is printed as FILE:LINE:COLUMN: message.
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    func run() throws {
        let config = try loadPipeline(pipeline)
        let issues = PipelineCheck.sources(of: config)
        guard issues.isEmpty else {
            for issue in issues { printError(issue.description) }
            throw ExitStatus.configError
        }
        let files = PipelineCheck.fileCount(of: config)
        print("\(pipeline): ok (\(config.sources.count) sources, \(files) files)")
    }
}

/// Loads a pipeline file, printing its issues and exiting 2 when it is invalid.
func loadPipeline(_ path: String) throws -> PipelineConfig {
    do {
        return try PipelineLoader.load(path)
    } catch {
        for issue in error.issues { printError(issue.description) }
        throw ExitStatus.configError
    }
}
