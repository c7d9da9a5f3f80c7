import ArgumentParser
import Foundation
import Health
import Load
import Pipeline
import Transform

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists for people: customers with data gaps.",
        subcommands: [Gaps.self])
}

extension Scan {
    struct Gaps: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Active customers missing last_contact_at or next_followup_plan, by sales group and owner.",
            discussion: """
                Columns: customer_key,name,owner,sales_group,status,missing (docs/exports.md). Active statuses \
                and the fields come from the pipeline's `scan:` section, or --status and --field. Each scan is \
                remembered in the store; the next one reports how many of that list were closed, and how many \
                within 48 hours (on standard error).
                """)

        @Argument(help: "The pipeline file whose store and `scan:` settings to use.")
        var pipeline: String?

        @Option(help: "Master store URL (sqlite:PATH); default: the pipeline's.")
        var store: String?

        @Option(name: .customLong("status"), help: "A status that makes a customer active (repeatable); default: the pipeline's, else every customer.")
        var statuses: [String] = []

        @Option(name: .customLong("field"), help: "A field the list checks (repeatable); default: last_contact_at and next_followup_plan.")
        var fields: [String] = []

        @Option(help: "Output format: csv or jsonl.")
        var format: ExportFormat = .csv

        @Option(help: "Output file; default: standard output.")
        var out: String?

        @Option(help: "Time of the scan (ISO 8601); default: now.")
        var asOf: String?

        @Flag(help: "Do not remember this list for the next scan's follow-up.")
        var noRemember = false

        func run() throws {
            var options = ScanOptions()
            var path: String
            if let pipeline {
                let config = try loadPipeline(pipeline)
                options = ScanOptions(config: config)
                path = config.store
            } else {
                guard store != nil else {
                    printError("crmbridge scan gaps: name a pipeline file or --store")
                    throw ExitStatus.configError
                }
                path = ""
            }
            if let store { path = try storePath(store, command: "scan gaps") }
            if !statuses.isEmpty { options.activeStatuses = statuses }
            if !fields.isEmpty {
                options.gapFields = try fields.map { name in
                    guard let field = CanonicalField(rawValue: name) else {
                        printError("crmbridge scan gaps: --field \(name) is not a canonical field")
                        throw ExitStatus.configError
                    }
                    return field
                }
            }
            if let asOf {
                guard let date = parseInstant(asOf, timeZone: options.timeZone) else {
                    printError("crmbridge scan gaps: --as-of '\(asOf)' is not a time: use ISO 8601")
                    throw ExitStatus.configError
                }
                options.at = date
            }
            options.remember = !noRemember
            let result: GapScan.Result
            do {
                result = try Scans.gaps(storePath: path, options: options)
            } catch {
                printError("crmbridge scan gaps: \(error)")
                throw error.code == .busy ? ExitStatus.storeBusy : ExitStatus.runFailed
            }
            let writer = ExportWriter(format: format, output: try outputHandle(out, command: "scan gaps"))
            result.rows { writer.write($0) }
            writer.flush()
            printError(summary(result))
        }

        private func summary(_ result: GapScan.Result) -> String {
            var lines = ["gaps: \(result.gaps.count) of \(result.activeCustomers) active customers"]
            for (group, gaps) in result.bySalesGroup {
                lines.append("  \(group.isEmpty ? "(no sales group)" : group): \(gaps.count)")
            }
            if let followUp = result.followUp {
                lines.append("""
                    since the scan of \(followUp.previousScanAt): \(followUp.closed) of \(followUp.listed) closed, \
                    \(followUp.closedWithin48h) within 48 hours
                    """)
            }
            return lines.joined(separator: "\n")
        }
    }
}
