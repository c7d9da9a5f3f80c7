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
        if let asOf {
            guard let date = parseInstant(asOf, timeZone: options.timeZone) else {
                printError("crmbridge \(command): --as-of '\(asOf)' is not a time: use ISO 8601")
                throw ExitStatus.configError
            }
            options.at = date
        }
        return (location, options)
    }

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
                Columns: customer_key,name,owner,sales_group,status,missing (docs/exports.md). The fields come from \
                the pipeline's `scan.gap_fields`, or --field. Each scan is remembered in the store; the next one \
                reports how many of that list were closed, and how many within 48 hours (on standard error).
                """)

        @OptionGroup var target: ScanTarget

        @Option(
            name: .customLong("field"),
            help: "A field the list checks (repeatable); default: last_contact_at and next_followup_plan.")
        var fields: [String] = []

        @Flag(help: "Do not remember this list for the next scan's follow-up.")
        var noRemember = false

        func run() throws {
            var (location, options) = try target.resolve("scan gaps")
            if !fields.isEmpty { options.gapFields = try canonicalFields(fields, option: "--field", command: "scan gaps") }
            options.remember = !noRemember
            let result: GapScan.Result
            do {
                result = try Scans.gaps(store: location, options: options)
            } catch {
                throw scanFailure("scan gaps", error)
            }
            if target.format == .xlsx {
                // One sheet per sales group, every missing cell red: ready to send.
                let workbook = try xlsxWorkbook(target.out, command: "scan gaps")
                do {
                    try result.write(to: workbook, fields: options.gapFields)
                } catch {
                    throw scanFailure("scan gaps", error)
                }
                try finish(workbook, command: "scan gaps")
            } else {
                try target.write("scan gaps", sheet: "gaps") { try result.rows($0) }
            }
            var lines = ["gaps: \(result.gaps.count) of \(result.activeCustomers) active customers"]
            for (group, gaps) in result.bySalesGroup {
                lines.append("  \(group.isEmpty ? "(no sales group)" : group): \(gaps.count)")
            }
            if let followUp = result.followUp {
                lines.append(
                    """
                    since the scan of \(followUp.previousScanAt): \(followUp.closed) of \(followUp.listed) closed, \
                    \(followUp.closedWithin48h) within 48 hours
                    """)
            }
            printError(lines.joined(separator: "\n"))
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
            try target.write("scan stale", sheet: "stale") { write in
                try write(StaleScan.columns)
                for customer in list { try write(StaleScan.row(customer)) }
            }
            printError("stale: \(list.count) active customers without contact for more than \(days) days")
        }
    }

    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare what several systems say about the same customers, on a reproducible sample.",
            discussion: """
                Samples active customers present in every named system (--seed makes the sample reproducible), \
                takes the latest record each system holds for each (by updated_at), and lists the fields whose \
                values differ (timestamps compared by day). Columns: customer_key,name,field,values. Exits 5 \
                when the share of differing (customer, field) pairs is above --max-diff.
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
            try target.write("scan consistency", sheet: "differences") { write in
                try write(ConsistencyScan.columns)
                for difference in result.differences { try write(ConsistencyScan.row(difference)) }
            }
            let rate = String(format: "%.4f", result.rate)
            printError(
                """
                consistency: \(result.sampled) of \(result.eligible) customers in \(systemList.joined(separator: ", ")) \
                sampled; \(result.differences.count) of \(result.compared) field values differ (\(rate), limit \(maxDiff))
                """)
            if result.rate > maxDiff { throw ExitStatus.consistencyFailed }
        }
    }
}
