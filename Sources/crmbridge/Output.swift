import ArgumentParser
import Foundation
import Load

/// The file `--out` names, written whole or not at all, or standard output.
func outputFile(_ out: String?, command: String) throws -> OutputFile {
    guard let out else { return OutputFile() }
    do {
        return try OutputFile(path: out)
    } catch {
        printError("crmbridge \(command): \(error)")
        throw ExitStatus.runFailed
    }
}

/// The store a `--store` URL names (a relative path from the working directory); exits 2 on a bad URL.
func storeLocation(_ url: String, command: String) throws -> StoreLocation {
    do {
        return try StoreLocation.parse(url, relativeTo: FileManager.default.currentDirectoryPath)
    } catch {
        printError("crmbridge \(command): \(error)")
        throw ExitStatus.configError
    }
}

/// Streams rows (header first) in `format` to `--out` or standard output, and finishes the
/// file: an .xlsx workbook needs a file and is written whole at the end.
func writeRows(
    _ format: ExportFormat, sheet: String, out: String?, command: String,
    _ rows: (([String]) throws -> Void) throws -> Void
) throws {
    guard format == .xlsx else {
        let writer = ExportWriter(format: format == .csv ? .csv : .jsonl, output: try outputFile(out, command: command))
        do {
            try rows { try writer.write($0) }
            try writer.finish()
        } catch let error as StoreError {
            printError("crmbridge \(command): \(error)")
            throw ExitStatus.runFailed
        }
        return
    }
    let workbook = try xlsxWorkbook(out, command: command)
    var started = false
    try rows { row in
        if started { workbook.write(row) } else { try workbook.addSheet(sheet, header: row); started = true }
    }
    try finish(workbook, command: command)
}

/// A workbook at `--out`; an .xlsx file cannot go to standard output.
func xlsxWorkbook(_ out: String?, command: String) throws -> XLSXWriter {
    guard let out else {
        printError("crmbridge \(command): --format xlsx writes a file: name it with --out FILE.xlsx")
        throw ExitStatus.configError
    }
    do {
        return try XLSXWriter(path: out)
    } catch {
        printError("crmbridge \(command): \(error)")
        throw ExitStatus.runFailed
    }
}

func finish(_ workbook: XLSXWriter, command: String) throws {
    do {
        try workbook.close()
    } catch {
        printError("crmbridge \(command): \(error)")
        throw ExitStatus.runFailed
    }
}
