import Foundation
import Testing

/// Reads an .xlsx file back with openpyxl (installed from PyPI when missing), the way a
/// spreadsheet user's tools would: per sheet, each cell's value as text, and whether it is red.
struct Workbook: Decodable {
    struct Cell: Decodable, Equatable {
        var value: String?
        /// The value's type as openpyxl sees it: str, datetime, int, float, NoneType.
        var type: String
        var red: Bool
        /// The address the cell opens, if it is a link.
        var link: String? = nil
    }

    struct Sheet: Decodable {
        var name: String
        var frozen: String?
        var rows: [[Cell]]
    }

    var sheets: [Sheet]

    static func read(_ path: URL) throws -> Workbook {
        try installOpenpyxl()
        let script = """
            import json, sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            def red(c):
                return bool(c.fill and c.fill.fill_type == "solid" and str(c.fill.fgColor.rgb).upper().endswith("FF0000"))
            out = [{"name": ws.title, "frozen": ws.freeze_panes,
                    "rows": [[{"value": None if c.value is None else str(c.value), "type": type(c.value).__name__,
                               "red": red(c),
                               "link": c.hyperlink.target if c.hyperlink else None} for c in row] for row in ws.iter_rows()]} for ws in book.worksheets]
            print(json.dumps({"sheets": out}))
            """
        let result = try python(["-c", script, path.path])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Workbook.self, from: Data(result.stdout.utf8))
    }

    private static func installOpenpyxl() throws {
        if try python(["-c", "import openpyxl"]).status == 0 { return }
        let install = try python(["-m", "pip", "install", "--quiet", "openpyxl"])
        #expect(install.status == 0, "pip install openpyxl: \(install.stderr)")
    }

    static func python(_ arguments: [String]) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
