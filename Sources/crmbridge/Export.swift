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

    @Option(help: "Master store URL (sqlite:PATH).")
    var store: String

    @Option(help: "Output format: csv or jsonl.")
    var format: ExportFormat = .csv

    @Option(help: "Output file; default: standard output.")
    var out: String?

    func run() throws {
        let source: SQLiteStore
        do {
            source = try SQLiteStore(path: try storePath(store, command: "export"), readOnly: true)
        } catch let error as StoreError {
            printError("crmbridge export: \(error)")
            throw ExitStatus.runFailed
        }
        let handle = try outputHandle(out, command: "export")
        let writer = ExportWriter(format: format, output: handle)
        do {
            try source.export(table) { writer.write($0) }
        } catch {
            printError("crmbridge export: \(error)")
            throw ExitStatus.runFailed
        }
        writer.flush()
    }
}

extension ExportTable: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
