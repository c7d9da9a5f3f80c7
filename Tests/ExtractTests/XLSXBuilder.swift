import Extract
import Foundation
import ZIPFoundation

/// Builds small .xlsx files for the tests, part by part, with ZIPFoundation: every sheet is
/// the XML of its `<sheetData>` rows, so that a test shows exactly what the reader gets.
struct XLSXBuilder {
    var sheets: [(name: String, rows: String)] = []
    /// The `<si>` items of the shared-strings table, as XML; nil: no table.
    var sharedStrings: [String]?
    /// Custom number formats (id → code) and the number format of each cell style.
    var numberFormats: [Int: String] = [:]
    var styleFormats: [Int] = [0]
    var date1904 = false
    /// Parts replaced or added as they are (path → XML), for damaged and hostile files.
    var parts: [String: String] = [:]

    init(sheets: [(name: String, rows: String)] = []) {
        self.sheets = sheets
    }

    init(rows: String) {
        sheets = [("Sheet1", rows)]
    }

    func write(suffix: String = ".xlsx") throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("crmbridge-\(UUID().uuidString)\(suffix)").path
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (part, xml) in allParts() {
            try Self.add(part, Data(xml.utf8), to: archive)
        }
        return path
    }

    static func add(_ part: String, _ data: Data, to archive: Archive) throws {
        try archive.addEntry(
            with: part, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }

    func allParts() -> [(String, String)] {
        let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        let main = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var result: [(String, String)] = [
            ("[Content_Types].xml", head + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
            (
                "_rels/.rels",
                head + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                    + #"<Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ]
        var relationships = sheets.indices.map {
            #"<Relationship Id="rId\#($0 + 1)" Type="\#(rel)/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"#
        }
        relationships.append(#"<Relationship Id="rIdS" Type="\#(rel)/styles" Target="styles.xml"/>"#)
        if let sharedStrings {
            relationships.append(#"<Relationship Id="rIdT" Type="\#(rel)/sharedStrings" Target="/xl/sharedStrings.xml"/>"#)
            result.append(
                (
                    "xl/sharedStrings.xml",
                    head + "<sst \(main) uniqueCount=\"\(sharedStrings.count)\">"
                        + sharedStrings.joined() + "</sst>"
                ))
        }
        result.append(
            (
                "xl/_rels/workbook.xml.rels",
                head
                    + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                    + relationships.joined() + "</Relationships>"
            ))
        let sheetList = sheets.indices.map {
            #"<sheet name="\#(escaped(sheets[$0].name))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"#
        }
        result.append(
            (
                "xl/workbook.xml",
                head + "<workbook \(main) xmlns:r=\"\(rel)\">"
                    + (date1904 ? #"<workbookPr date1904="1"/>"# : "<workbookPr/>")
                    + "<sheets>" + sheetList.joined() + "</sheets></workbook>"
            ))
        let formats = numberFormats.sorted { $0.key < $1.key }
            .map { #"<numFmt numFmtId="\#($0.key)" formatCode="\#(escaped($0.value))"/>"# }
        result.append(
            (
                "xl/styles.xml",
                head + "<styleSheet \(main)><numFmts>" + formats.joined() + "</numFmts>"
                    + #"<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs>"#
                    + styleFormats.map { #"<xf numFmtId="\#($0)" applyNumberFormat="1"/>"# }.joined()
                    + "</cellXfs></styleSheet>"
            ))
        for (index, sheet) in sheets.enumerated() {
            result.append(
                (
                    "xl/worksheets/sheet\(index + 1).xml",
                    head + "<worksheet \(main)><sheetData>" + sheet.rows + "</sheetData></worksheet>"
                ))
        }
        return result.map { part in (part.0, parts[part.0] ?? part.1) }
            + parts.filter { extra in !result.contains { $0.0 == extra.key } }.map { ($0.key, $0.value) }
    }
}

/// Text for an XML attribute.
func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "<", with: "&lt;")
}

/// `<c r="B2" t="inlineStr"><is><t>text</t></is></c>`
func inline(_ reference: String, _ text: String) -> String {
    #"<c r="\#(reference)" t="inlineStr"><is><t>\#(text)</t></is></c>"#
}

/// `<c r="B2" s="1"><v>45474</v></c>`
func number(_ reference: String, _ value: String, style: Int? = nil) -> String {
    #"<c r="\#(reference)"\#(style.map { " s=\"\($0)\"" } ?? "")><v>\#(value)</v></c>"#
}

/// `<row r="2">…</row>`
func row(_ number: Int, _ cells: String...) -> String {
    "<row r=\"\(number)\">" + cells.joined() + "</row>"
}

/// The records a workbook yields (rows and unreadable rows alike), and the error that ended
/// them, if any.
func readUntilFailure(_ path: String, _ options: XLSXReader.Options = .init()) -> (rows: Int, error: ExtractError?) {
    var rows = 0
    do {
        let reader = try XLSXReader(path: path, options: options)
        while try reader.next() != nil { rows += 1 }
        return (rows, nil)
    } catch {
        return (rows, error)
    }
}
