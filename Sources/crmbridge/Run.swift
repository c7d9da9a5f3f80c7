import ArgumentParser
import Foundation
import Pipeline

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract, normalize and merge every source of a pipeline into the master store.",
        discussion: """
            One run is one batch: it commits whole or not at all. Files already loaded (same checksum) \
            are skipped; pending records of earlier batches are retried. Prints the run summary \
            (read = merged + pending + rejected, per source system, and the health metrics).
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(help: "Master store URL (sqlite:PATH or postgres://…); overrides the pipeline's `store`.")
    var store: String?

    @Option(
        help: "Load time of this batch (ISO 8601, e.g. 2026-11-22T03:00:00+08:00); default: now. Sync lag is measured against it."
    )
    var asOf: String?

    @Flag(help: "Do everything, then roll the batch back: nothing is written.")
    var dryRun = false

    @Flag(help: "Re-read files already loaded (they still write no duplicate rows).")
    var force = false

    @Option(help: "Seconds to wait for another run that holds the store (0 to 86400).")
    var wait: Double = 10

    @Option(
        help: """
            Threads that normalize records (1 to 256): 1 normalizes on the reading thread; more, that many \
            beside it. Default: the machine's cores. The results are the same whatever the number.
            """)
    var threads: Int?

    @Flag(help: "Print the run summary as one JSON object on stdout.")
    var json = false

    @OptionGroup var language: LanguageOption

    func validate() throws {
        guard wait.isFinite, (0...86_400).contains(wait) else {
            throw ValidationError("--wait takes seconds from 0 to 86400 (a day), not \(wait)")
        }
        if let threads, !(1...256).contains(threads) {
            throw ValidationError("--threads takes a number of threads from 1 to 256, not \(threads)")
        }
    }

    func run() throws {
        let config = try loadPipeline(pipeline)
        var options = RunOptions()
        options.store = store
        options.dryRun = dryRun
        options.force = force
        options.wait = wait
        if let threads { options.threads = threads }
        options.language = language.language
        if let asOf {
            guard let date = parseInstant(asOf, timeZone: config.timeZone) else {
                printError("--as-of: '\(asOf)' is not a time: use ISO 8601, e.g. 2026-11-22T03:00:00+08:00")
                throw ExitStatus.configError
            }
            options.asOf = date
        }
        if isatty(STDERR_FILENO) != 0 {
            options.progress = { file, rows, rate in
                let name = URL(fileURLWithPath: file).lastPathComponent
                FileHandle.standardError.write(Data("\r\(name): \(rows) rows, \(Int(rate)) rows/s   ".utf8))
            }
        }
        let summary: RunSummary
        do {
            summary = try Runner(config: config, options: options).run()
        } catch {
            if options.progress != nil { FileHandle.standardError.write(Data("\r".utf8)) }
            printError("crmbridge run: \(error.description)")
            throw ExitStatus.code(for: error)
        }
        if options.progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        print(json ? summary.json : summary.text(language.resolve(config).strings))
        for alert in summary.undeliveredAlerts {
            printError(
                """
                crmbridge run: the \(alert.sink) alert to \(alert.target) was not delivered after \(alert.attempts) \
                attempts (\(alert.error ?? "unknown error")); the batch is committed
                """)
        }
        if !summary.fileErrors.isEmpty { throw ExitStatus.runFailed }
        if summary.health == .fail || summary.anomalies?.fails == true { throw ExitStatus.healthFailed }
    }
}
