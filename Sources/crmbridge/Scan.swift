import ArgumentParser
import Foundation
import Health
import Load
import Pipeline
import Transform

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists for people: data gaps, customers gone quiet, systems that disagree.",
        subcommands: [Gaps.self, Stale.self, Consistency.self])
}

/// What every scan reads: the store, the active statuses, the output.
struct ScanTarget: ParsableArguments {
    @Argument(help: "The pipeline file whose store and `scan:` settings to use.")
    var pipeline: String?

    @Option(help: "Master store URL (sqlite:PATH or postgres://…); default: the pipeline's.")
    var store: String?

    @Option(
        name: .customLong("status"),
        help:
            "A status that makes a customer active (repeatable); default: the pipeline's `scan.active_statuses`, else every customer."
    )
    var statuses: [String] = []

    @Option(help: "Output format: csv, jsonl or xlsx (a workbook for people: needs --out).")
    var format: ExportFormat = .csv

    @Option(help: "Output file; default: standard output.")
    var out: String?

    @Option(help: "Time of the scan (ISO 8601); default: now.")
    var asOf: String?

    @OptionGroup var language: LanguageOption

    func validate() throws {
        if format == .xlsx && out == nil { throw ValidationError("--format xlsx writes a file: name it with --out FILE.xlsx") }
    }

    /// The store and the scan options, from the pipeline file and the flags.
    func resolve(_ command: String) throws -> (store: StoreLocation, options: ScanOptions) {
        var options = ScanOptions()
        var location: StoreLocation?
        if let pipeline {
            let config = try loadPipeline(pipeline)
            options = ScanOptions(config: config)
            location = config.store
        }
        if let store { location = try storeLocation(store, command: command) }
        guard let location else {
            printError("crmbridge \(command): name a pipeline file or --store")
            throw ExitStatus.configError
        }
        if !statuses.isEmpty { options.activeStatuses = statuses }
        if let language = language.language { options.language = language }
        // For tests: DingTalk's 20 messages a minute would make them wait a minute.
        if let interval = ProcessInfo.processInfo.environment["CRMBRIDGE_ROBOT_INTERVAL"].flatMap(Double.init), interval >= 0 {
            options.robotInterval = interval
        }
        if let asOf {
            guard let date = parseInstant(asOf, timeZone: options.timeZone) else {
                printError("crmbridge \(command): --as-of '\(asOf)' is not a time: use ISO 8601")
                throw ExitStatus.configError
            }
            options.at = date
        }
        return (location, options)
    }

    /// The words of the list: JSON Lines keys are for programs, the same in every language.
    func strings(_ options: ScanOptions) -> Strings { format == .jsonl ? .english : options.language.strings }

    /// Writes the rows (header first) in the chosen format.
    func write(_ command: String, sheet: String, _ rows: (([String]) throws -> Void) throws -> Void) throws {
        try writeRows(format, sheet: sheet, out: out, command: command, rows)
    }
}

/// Exit code of a scan that could not read or write the store.
func scanFailure(_ command: String, _ error: StoreError) -> ExitCode {
    printError("crmbridge \(command): \(error)")
    return error.code == .busy ? ExitStatus.storeBusy : ExitStatus.runFailed
}

func canonicalFields(_ names: [String], option: String, command: String) throws -> [CanonicalField] {
    try names.flatMap { $0.split(separator: ",").map(String.init) }.map { name in
        guard let field = CanonicalField(rawValue: name) else {
            printError("crmbridge \(command): \(option) \(name) is not a canonical field")
            throw ExitStatus.configError
        }
        return field
    }
}

extension Scan {
    struct Gaps: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Active customers missing last_contact_at or next_followup_plan, by sales group and owner.",
            discussion: """
                Columns (--lang en): customer_key,name,owner,sales_group,status,missing, then company, the masked \
                mobile, each system's number, days_since and deadline (docs/exports.md); --format xlsx makes the \
                workbook a rep works from, a summary sheet first. The fields come from the pipeline's \
                `scan.gap_fields`, or --field. Each scan is remembered in the store; the next one reports how many \
                of that list were closed, how many within 48 hours, and how many are overdue (on standard error).
                """)

        @OptionGroup var target: ScanTarget

        @Option(
            name: .customLong("field"),
            help: "A field the list checks (repeatable); default: last_contact_at and next_followup_plan.")
        var fields: [String] = []

        @Flag(help: "Do not remember this list for the next scan's follow-up.")
        var noRemember = false

        @Flag(
            help: """
                Tell each owner with gaps through the pipeline's DingTalk and WeCom robots (@-mentioned through \
                `people`), list the owners without a mobile in one message, and send a summary; at most 20 \
                messages a minute per robot.
                """)
        var notify = false

        func validate() throws {
            if notify && target.pipeline == nil {
                throw ValidationError("--notify sends to the pipeline's robots: name the pipeline file")
            }
        }

        func run() throws {
            var (location, options) = try target.resolve("scan gaps")
            if !fields.isEmpty { options.gapFields = try canonicalFields(fields, option: "--field", command: "scan gaps") }
            options.remember = !noRemember
            if notify && !options.alerts.contains(where: { $0.kind != .webhook }) {
                printError(
                    "crmbridge scan gaps: --notify sends to the pipeline's chat robots, and it has none: add a dingtalk or wecom entry to alerts:"
                )
                throw ExitStatus.configError
            }
            let strings = target.strings(options)
            let result: GapScan.Result
            let layout: GapListLayout
            do {
                (result, layout) = try Scans.gaps(store: location, options: options)
            } catch {
                throw scanFailure("scan gaps", error)
            }
            if target.format == .xlsx {
                // One sheet per sales group, every missing cell red: ready to send.
                let workbook = try xlsxWorkbook(target.out, command: "scan gaps")
                do {
                    try result.write(to: workbook, layout: layout, strings: strings)
                } catch {
                    throw scanFailure("scan gaps", error)
                }
                try finish(workbook, command: "scan gaps")
            } else {
                try target.write("scan gaps", sheet: strings.gapsSheet) { try result.rows(strings, layout: layout, $0) }
            }
            let words = options.language.strings
            var lines = [words.gapsLine(result.gaps.count, result.activeCustomers)]
            for (group, gaps) in result.bySalesGroup {
                lines.append("  " + words.noticeGroupLine(group.isEmpty ? words.noSalesGroup : group, gaps.count))
            }
            if let followUp = result.followUp {
                lines.append(
                    words.gapsFollowUpLine(
                        followUp.previousScanAt, followUp.closed, followUp.listed, followUp.closedWithin48h))
            }
            if let followUp = result.followUp, followUp.overdue > 0 {
                lines.append(words.gapsOverdueLine(followUp.overdue))
            }
            printError(lines.joined(separator: "\n"))
            if notify { report(Scans.notify(result, layout: layout, options: options), words: words) }
        }

        private func report(_ notified: (sent: Int, outcomes: [AlertOutcome]), words: Strings) {
            let robots = Set(notified.outcomes.map(\.target)).count
            printError(words.noticesSent(notified.sent, robots))
            for outcome in notified.outcomes where !outcome.delivered {
                printError(words.noticeNotDelivered(outcome.sink, outcome.target, outcome.attempts, outcome.error ?? ""))
            }
        }
    }

    struct Stale: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Active customers with no contact (call, form, CRM visit) for more than N days: tonight's follow-up list.",
            discussion:
                "Columns: customer_key,name,owner,sales_group,status,last_contact_at,days_since; by sales group, longest silence first."
        )

        @OptionGroup var target: ScanTarget

        @Option(help: "Days without contact.")
        var days = 7

        func run() throws {
            let (location, options) = try target.resolve("scan stale")
            let list: [StaleScan.Customer]
            do {
                list = try Scans.stale(store: location, days: days, options: options)
            } catch {
                throw scanFailure("scan stale", error)
            }
            let strings = target.strings(options)
            try target.write("scan stale", sheet: strings.staleSheet) { write in
                try write(StaleScan.columns(strings))
                for customer in list { try write(StaleScan.row(customer)) }
            }
            printError(options.language.strings.staleLine(list.count, days))
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare what several systems say about the same customers, on a reproducible sample.",
            discussion: """
                Samples active customers present in every named system (--seed makes the sample reproducible), \
                takes the latest record each system holds for each (by updated_at), and lists the fields whose \
                values differ (timestamps compared by day). Columns (--lang en): customer_key,name,field,values. \
                When the share of differing (customer, field) pairs is above --max-diff, sends the pipeline's \
                alerts whose `on` holds fail (systems, fields, masked example customers) and exits 5.
                """)

        @OptionGroup var target: ScanTarget

        @Option(help: "The source systems to compare, comma-separated (at least two).")
        var systems: String

        @Option(help: "The fields to compare, comma-separated.")
        var fields = "last_contact_at,owner,next_followup_at"

        @Option(help: "How many customers to sample.")
        var sample = 100

        @Option(help: "Seed of the sample.")
        var seed: UInt64 = 1

        @Option(help: "Highest acceptable share of differing (customer, field) pairs.")
        var maxDiff = 0.03

        func run() throws {
            let (location, options) = try target.resolve("scan consistency")
            let systemList = systems.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard Set(systemList).count >= 2 else {
                printError("crmbridge scan consistency: --systems needs at least two systems, e.g. crm,erp")
                throw ExitStatus.configError
            }
            let scan = ConsistencyScan(
                systems: systemList, fields: try canonicalFields([fields], option: "--fields", command: "scan consistency"),
                sampleSize: sample, seed: seed, activeStatuses: options.activeStatuses)
            let result: ConsistencyScan.Result
            do {
                result = try Scans.consistency(store: location, scan: scan)
            } catch {
                throw scanFailure("scan consistency", error)
            }
            let strings = target.strings(options)
            try target.write("scan consistency", sheet: strings.differencesSheet) { write in
                try write(ConsistencyScan.columns(strings))
                for difference in result.differences { try write(ConsistencyScan.row(difference, strings)) }
            }
            let rate = String(format: "%.4f", result.rate)
            printError(
                options.language.strings.consistencyLine(
                    result.sampled, result.eligible, systemList.joined(separator: ", "), result.differences.count,
                    result.compared, rate, "\(maxDiff)"))
            if result.rate > maxDiff {
                let words = options.language.strings
                for outcome in Scans.alert(result, systems: systemList, limit: maxDiff, options: options) {
                    printError(
                        outcome.delivered
                            ? words.runAlert(outcome.sink, outcome.target, true, outcome.attempts, "")
                            : words.noticeNotDelivered(outcome.sink, outcome.target, outcome.attempts, outcome.error ?? ""))
                }
                throw ExitStatus.consistencyFailed
            }
        }
    }
}
