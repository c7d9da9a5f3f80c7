import Foundation
import Load

/// Writes a test's inline rows to a file in the format of the source that reads them, so that
/// they go through the same reader as a real export.
enum InlineRows {
    /// Writes `rows` for `source` into `folder`; returns the source reading that file.
    static func write(_ rows: [InlineValue], for source: SourceConfig, in folder: URL) throws -> SourceConfig {
        var source = source
        let url = folder.appendingPathComponent("\(source.system).\(source.format.rawValue)")
        // Written as UTF-8 from the first line: the export's own layout is not what is under test.
        source.encoding = .utf8
        source.headerRow = 1
        source.path = url.path
        let records = rows.map { row -> [(String, InlineValue)] in
            if case .map(let pairs) = row { return pairs }
            return []
        }
        var header: [String] = []
        for record in records {
            for (column, _) in record where !header.contains(column) { header.append(column) }
        }
        func cells(_ record: [(String, InlineValue)]) -> [String] {
            header.map { column in record.first { $0.0 == column }?.1.cell ?? "" }
        }
        switch source.format {
        case .csv:
            let delimiter = String(UnicodeScalar(source.delimiter ?? UInt8(ascii: ",")))
            source.delimiter = source.delimiter ?? UInt8(ascii: ",")
            let lines = ([header] + records.map(cells)).map { row in row.map(csvField).joined(separator: delimiter) }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        case .xlsx:
            // The first sheet: the source's `sheet` names the export's, not this file's.
            source.sheet = nil
            let workbook = try XLSXWriter(path: url.path)
            try workbook.addSheet("Sheet1", header: header)
            for record in records { workbook.write(cells(record)) }
            try workbook.close()
        case .jsonl:
            try Data(rows.map(json).map { $0 + "\n" }.joined().utf8).write(to: url)
        case .json:
            try Data(("[\n" + rows.map(json).joined(separator: ",\n") + "\n]\n").utf8).write(to: url)
        case .xml:
            let elements = records.map { record in
                "<\(source.recordElement)>" + record.map { xml($0.1, named: $0.0) }.joined() + "</\(source.recordElement)>"
            }
            let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rows>\n" + elements.joined(separator: "\n") + "\n</rows>\n"
            try Data(text.utf8).write(to: url)
        }
        return source
    }

    private static func csvField(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func json(_ value: InlineValue) -> String {
        switch value {
        case .text(let text):
            let data = (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case .list(let items): return "[" + items.map(json).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { json(.text($0.0)) + ": " + json($0.1) }.joined(separator: ", ") + "}"
        }
    }

    /// An element per value (repeated for a list); text in CDATA, whose end marker is split.
    private static func xml(_ value: InlineValue, named name: String) -> String {
        switch value {
        case .text(let text):
            "<\(name)><![CDATA[" + text.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]></\(name)>"
        case .list(let items): items.map { xml($0, named: name) }.joined()
        case .map(let pairs): "<\(name)>" + pairs.map { xml($0.1, named: $0.0) }.joined() + "</\(name)>"
        }
    }
}
