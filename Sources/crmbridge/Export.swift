import ArgumentParser
import Foundation
import Load

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the master records, the cross-reference or the rejects in the stable export format.",
        discussion: """
            UTF-8 with a header row; the contract's columns come first and in order (docs/exports.md). \
            Cells that spreadsheet tools would run as formulas are neutralized; numbers and E.164 phones stay exact.
            """)

    @Argument(help: "What to export: master, xref or rejects.")
    var table: ExportTable

    @Option(help: "Master store URL (sqlite:PATH).")
    var store: String

    @Option(help: "Output format: csv or jsonl.")
    var format: ExportFormat = .csv

    @Option(help: "Output file; default: standard output.")
    var out: String?

    func run() throws {
        let path: String
        let source: SQLiteStore
        do {
            path = try SQLiteStore.path(fromURL: store, relativeTo: FileManager.default.currentDirectoryPath)
            source = try SQLiteStore(path: path, readOnly: true)
        } catch {
            printError("crmbridge export: \(error)")
            throw error.code == .unsupported ? ExitStatus.configError : ExitStatus.runFailed
        }
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
                printError("crmbridge export: cannot write \(out)")
                throw ExitStatus.runFailed
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
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
