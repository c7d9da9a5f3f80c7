import ArgumentParser
import Pipeline

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show what a run would do with the first records of each source, without running it.",
        discussion: """
            For the first N records of each source (or of --source): the mapped raw cells, what each \
            became once normalized, and the outcome a run would give the record: new (a customer its key \
            creates), update (a customer in the store or made by an earlier record, by key or by the one \
            customer holding its mobile, tax ID or landline), pending (why it would wait) or rejected (the \
            reason code and why). Judged against the pipeline's store (or --store) when it exists, which is \
            only read. Exit codes: 0 shown, 1 the store cannot be read, 2 a bad pipeline file or --source.
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(help: "Only the source of this system.")
    var source: String?

    @Option(help: "Records per source.")
    var rows = 10

    @Option(help: "Master store URL (sqlite:PATH) to judge against; default: the pipeline's store.")
    var store: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard rows >= 1 else { throw ValidationError("--rows must be at least 1") }
    }

    func run() throws {
        let config = try loadPipeline(pipeline)
        let preview: Preview
        do {
            preview = try Preview.make(config, options: .init(system: source, rows: rows, store: store))
        } catch {
            printError("crmbridge preview: \(error)")
            throw error.message.hasPrefix("the pipeline has no source") ? ExitStatus.configError : ExitStatus.runFailed
        }
        print(json ? preview.json : preview.text)
    }
}
