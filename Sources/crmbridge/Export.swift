import ArgumentParser
import Foundation
import Load

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the master records, the cross-reference, the rejects or the interactions in the stable export format.",
        discussion: """
            UTF-8 with a header row; the contract's columns come first and in order (docs/exports.md). \
            Cells that spreadsheet tools would run as formulas are neutralized; numbers and E.164 phones stay exact.
            """)

    @Argument(help: "What to export: master, xref, rejects or interactions.")
    var table: ExportTable

    @Option(help: "Master store URL (sqlite:PATH or postgres://…).")
    var store: String

    @Option(help: "Output format: csv, jsonl or xlsx (a workbook for people: needs --out).")
    var format: ExportFormat = .csv

    @Option(help: "Output file; default: standard output.")
    var out: String?

    func validate() throws {
        if format == .xlsx && out == nil { throw ValidationError("--format xlsx writes a file: name it with --out FILE.xlsx") }
    }

    func run() throws {
        let source: any MasterStore
        do {
            source = try openStore(try storeLocation(store, command: "export"), access: .read)
        } catch let error as StoreError {
            printError("crmbridge export: \(error)")
            throw ExitStatus.runFailed
        }
        do {
            try writeRows(format, sheet: table.rawValue, out: out, command: "export") { write in
                try source.export(table, write)
            }
        } catch let error as StoreError {
            printError("crmbridge export: \(error)")
            throw ExitStatus.runFailed
        }
    }
}

extension ExportTable: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
