import ArgumentParser
import Foundation
import Load

/// The file `--out` names (created or truncated), or standard output.
func outputHandle(_ out: String?, command: String) throws -> FileHandle {
    guard let out else { return FileHandle.standardOutput }
    guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
        printError("crmbridge \(command): cannot write \(out)")
        throw ExitStatus.runFailed
    }
    return file
}

/// The path of a `--store` URL, relative to the working directory; exits 2 on a bad URL.
func storePath(_ url: String, command: String) throws -> String {
    do {
        return try SQLiteStore.path(fromURL: url, relativeTo: FileManager.default.currentDirectoryPath)
    } catch {
        printError("crmbridge \(command): \(error)")
        throw ExitStatus.configError
    }
}

/// Streams rows (header first) in `format` to `--out` or standard output, and finishes the
/// file: an .xlsx workbook needs a file and is written whole at the end.
func writeRows(_ format: ExportFormat, sheet: String, out: String?, command: String,
               _ rows: (([String]) throws -> Void) throws -> Void) throws {
    guard format == .xlsx else {
        let writer = ExportWriter(format: format == .csv ? .csv : .jsonl, output: try outputHandle(out, command: command))
        try rows { writer.write($0) }
        writer.flush()
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
