import ArgumentParser

@main
struct CRMBridge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmbridge",
        abstract: "Pull every customer source into one master store and measure its health.",
        discussion: """
            Exit codes: 0 success · 1 the run failed (store error, unreadable source file, accounting) · \
            2 the pipeline file or an argument is invalid · 3 a health threshold failed (the batch was \
            still committed; for `health`, a metric is at fail) · 4 another run holds the store · 5 scan \
            consistency found more differences than --max-diff · 64 bad command-line usage.
            """,
        subcommands: [
            Run.self, Check.self, Test.self, Init.self, PreviewCommand.self, HealthCommand.self, History.self,
            Export.self, Scan.self, Key.self, Normalize.self, Docs.self,
        ])
}
