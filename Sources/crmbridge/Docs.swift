import ArgumentParser
import Pipeline

struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the reference of the pipeline file format (Markdown), generated from its schema.")

    func run() throws {
        print(PipelineDocs.markdown, terminator: "")
    }
}
