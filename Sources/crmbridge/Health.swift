import ArgumentParser
import Foundation
import Health
import Load
import Pipeline
import Transform

/// Named apart from the Health module it calls.
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Measure the master store's health now and print it as text, JSON, Prometheus metrics or an HTML dashboard.",
        discussion: """
            Completeness, overall and per field, is recomputed from the master customers; id_match, \
            sync_lag_24h and completeness per source system are those the latest batch stored. The required fields and the thresholds are the pipeline file's \
            (--pipeline), else those the latest batch ran with. Exit codes: 0 no metric at fail, \
            3 a metric is at fail (or an anomaly of a metric health.anomalies.fail names), 1 the store cannot be read or --out written, 2 a bad pipeline file \
            or store URL. The JSON keys are documented in docs/health.md. Each figure of the latest batch \
            is also judged against the median of the batches before it (health.anomalies of the pipeline); \
            --backtest replays the whole history that way and prints the batches that would have alerted.
            """)

    @Option(help: "Master store URL (sqlite:PATH or postgres://…); default: the pipeline's store.")
    var store: String?

    @Option(help: "The pipeline file whose required fields, thresholds and store apply.")
    var pipeline: String?

    @Option(help: "Output format: text, json, prometheus (node_exporter textfile) or html (one self-contained file).")
    var format: HealthFormat = .text

    @Option(help: "Output file, replaced atomically (for the textfile collector); default: standard output.")
    var out: String?

    @Option(help: "How many of the last batches the trend covers.")
    var batches = 30

    @Flag(
        help: "Replay the stored history: judge every batch against the ones before it and print those that would have alerted."
    )
    var backtest = false

    @OptionGroup var language: LanguageOption

    func validate() throws {
        guard store != nil || pipeline != nil else { throw ValidationError("give --store URL or --pipeline FILE") }
        guard batches > 0 else { throw ValidationError("--batches must be at least 1") }
    }

    func run() throws {
        let config = try pipeline.map(loadPipeline)
        let source: any MasterStore
        do throws(StoreError) {
            var location = config?.store ?? .sqlite(path: "")
            if let store { location = try StoreLocation.parse(store, relativeTo: FileManager.default.currentDirectoryPath) }
            source = try openStore(location, access: .read)
        } catch {
            printError("crmbridge health: \(error)")
            throw error.code == .unsupported ? ExitStatus.configError : ExitStatus.runFailed
        }
        let anomalyOptions = config?.anomalies ?? AnomalyOptions()
        if backtest {
            do {
                let history = try source.recentBatches(Int(Int32.max)).map(BatchFigures.init)
                print(AnomalyBacktest.text(AnomalyDetector(options: anomalyOptions).backtest(history), options: anomalyOptions))
            } catch {
                printError("crmbridge health: cannot read \(source.location.description): \(error)")
                throw ExitStatus.runFailed
            }
            return
        }
        let report: HealthReport
        do {
            report = try HealthReport.measure(
                source, required: config?.required, thresholds: config?.thresholds,
                batches: batches, timeZone: config?.timeZone ?? TimestampParser.defaultTimeZone,
                anomalyOptions: anomalyOptions)
        } catch {
            printError("crmbridge health: cannot read \(source.location): \(error)")
            throw ExitStatus.runFailed
        }
        let text = report.rendered(as: format, in: language.resolve(config))
        if let out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                printError("crmbridge health: cannot write \(out): \(error.localizedDescription)")
                throw ExitStatus.runFailed
            }
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
        if report.status == .fail || report.anomalies?.fails == true { throw ExitStatus.healthFailed }
    }
}

extension HealthFormat: ExpressibleByArgument {}
