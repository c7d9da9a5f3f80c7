import Foundation
import ZIPFoundation

/// Writes an .xlsx workbook for people: one sheet per `addSheet`, the header row bold and
/// frozen, column widths from the content, ISO timestamps as real dates, every other value as
/// text (Excel never evaluates a text cell, so nothing needs a formula guard), cells marked
/// missing filled red, and links that open a record. Rows stream to a temporary file per sheet;
/// the zip is written at `close`.
package final class XLSXWriter {
    /// How a cell looks: its index in the workbook's style table (`styles`).
    package enum Style: Int, Sendable, CaseIterable {
        case normal = 0, header, date, missing, link
        /// A count: a number cell, so that Excel sums it and flags no "number stored as text".
        case number
    }

    /// One cell: its text, its style, and the address it opens (shown as a link).
    package struct Cell: Sendable {
        package var text: String
        package var style: Style
        package var link: String?

        package init(_ text: String, missing: Bool = false) {
            self.init(text, style: missing ? .missing : .normal)
        }

        package init(_ text: String, style: Style, link: String? = nil) {
            self.text = text
            self.style = link == nil ? style : .link
            self.link = link
        }
    }

    private struct Sheet {
        var name: String
        var file: URL
        var handle: FileHandle
        var widths: [Int]
        var rows = 0
        /// (cell reference, address): few per sheet, written after the rows.
        var links: [(String, String)] = []
    }

    private let path: String
    private let scratch: URL
    private var sheets: [Sheet] = []
    private var buffer: [UInt8] = []
    private var failure: StoreError?

    package init(path: String) throws(StoreError) {
        self.path = path
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-xlsx-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.failed, "cannot write \(path): \(error.localizedDescription)")
        }
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// Starts a sheet whose first row is `header`. Names are cut to Excel's 31 characters,
    /// cleared of `[]:*?/\` and made unique.
    package func addSheet(_ name: String, header: [String]) throws(StoreError) {
        flush()
        var clean = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        if clean.isEmpty { clean = "Sheet" }
        var unique = clean
        var suffix = 2
        while sheets.contains(where: { $0.name.lowercased() == unique.lowercased() }) {
            unique = String(clean.prefix(28)) + " \(suffix)"
            suffix += 1
        }
        let file = scratch.appendingPathComponent("sheet\(sheets.count + 1).rows")
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: file.path)
        else {
            throw StoreError(.failed, "cannot write a temporary file in \(scratch.path)")
        }
        sheets.append(Sheet(name: unique, file: file, handle: handle, widths: header.map { _ in 8 }))
        write(header.map { Cell($0) }, style: .header)
    }

    package func write(_ row: [String]) { write(row.map { Cell($0) }, style: nil) }

    package func write(_ row: [Cell]) { write(row, style: nil) }

    private func write(_ row: [Cell], style rowStyle: Style?) {
        let index = sheets.count - 1
        sheets[index].rows += 1
        let number = sheets[index].rows
        buffer.append(contentsOf: Array("<row r=\"\(number)\">".utf8))
        for (column, cell) in row.enumerated() {
            let reference = Self.columnName(column) + String(number)
            if column < sheets[index].widths.count {
                sheets[index].widths[column] = max(sheets[index].widths[column], Self.displayWidth(cell.text))
            }
            if let link = cell.link, !cell.text.isEmpty { sheets[index].links.append((reference, link)) }
            if rowStyle == nil, cell.style == .normal, let serial = Self.excelDate(cell.text) {
                buffer.append(contentsOf: Array("<c r=\"\(reference)\" s=\"\(Style.date.rawValue)\"><v>\(serial)</v></c>".utf8))
                continue
            }
            let style = rowStyle ?? cell.style
            if style == .number, Int(cell.text) != nil {
                buffer.append(contentsOf: Array("<c r=\"\(reference)\" s=\"\(style.rawValue)\"><v>\(cell.text)</v></c>".utf8))
                continue
            }
            if cell.text.isEmpty {
                if style != .normal { buffer.append(contentsOf: Array("<c r=\"\(reference)\" s=\"\(style.rawValue)\"/>".utf8)) }
                continue
            }
            buffer.append(
                contentsOf: Array(
                    "<c r=\"\(reference)\" s=\"\(style.rawValue)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8))
            Self.appendEscaped(cell.text, to: &buffer)
            buffer.append(contentsOf: Array("</t></is></c>".utf8))
        }
        buffer.append(contentsOf: Array("</row>".utf8))
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Rows are written as they come and a failed write (a full disk) is kept for `close` to
    /// throw: row writers stay simple, and no half-written workbook is ever renamed into place.
    private func flush() {
        guard let sheet = sheets.last, !buffer.isEmpty else { return }
        if failure == nil {
            do {
                try sheet.handle.write(contentsOf: Data(buffer))
            } catch {
                failure = StoreError(.failed, "cannot write \(path): \(OutputFile.reason(error)); nothing was written")
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the workbook to `path`, whole or not at all (see `OutputFile`).
    package func close() throws(StoreError) {
        flush()
        if sheets.isEmpty { try addSheet("Sheet1", header: []) }
        if let failure { throw failure }
        let zip = scratch.appendingPathComponent("workbook.xlsx")
        do {
            for sheet in sheets { try sheet.handle.close() }
            let archive = try Archive(url: zip, accessMode: .create)
            try add(archive, "[Content_Types].xml", Self.contentTypes(sheets.count))
            try add(archive, "_rels/.rels", Self.rootRelationships)
            try add(archive, "xl/workbook.xml", workbook())
            try add(archive, "xl/_rels/workbook.xml.rels", Self.workbookRelationships(sheets.count))
            try add(archive, "xl/styles.xml", Self.styles)
            for (index, sheet) in sheets.enumerated() {
                let part = scratch.appendingPathComponent("sheet\(index + 1).xml")
                try assemble(sheet, into: part)
                if !sheet.links.isEmpty {
                    try add(archive, "xl/worksheets/_rels/sheet\(index + 1).xml.rels", Self.linkRelationships(sheet.links))
                }
                try archive.addEntry(with: "xl/worksheets/sheet\(index + 1).xml", fileURL: part, compressionMethod: .deflate)
            }
        } catch {
            throw StoreError(.failed, "cannot write \(path): \(OutputFile.reason(error)); nothing was written")
        }
        let output = try OutputFile(path: path)
        do {
            let workbook = try FileHandle(forReadingFrom: zip)
            defer { try? workbook.close() }
            while let chunk = try workbook.read(upToCount: 1 << 20), !chunk.isEmpty { try output.write(chunk) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "cannot write \(path): \(OutputFile.reason(error)); nothing was written")
        }
        try output.commit()
    }

    private func add(_ archive: Archive, _ name: String, _ text: String) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
            position, size in data.subdata(in: Data.Index(position)..<Data.Index(position) + size)
        }
    }

    /// The sheet part: its frozen header and widths, known only once every row was seen, then the rows.
    private func assemble(_ sheet: Sheet, into part: URL) throws {
        let columns: String = sheet.widths.enumerated().map { index, width -> String in
            "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(min(width + 2, 60))\" customWidth=\"1\"/>"
        }.joined()
        let head = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" \
            state="frozen"/></sheetView></sheetViews>\(columns.isEmpty ? "" : "<cols>\(columns)</cols>")<sheetData>
            """
        guard FileManager.default.createFile(atPath: part.path, contents: Data(head.utf8)) else {
            throw StoreError(.failed, "cannot write a temporary file in \(scratch.path): \(String(cString: strerror(errno)))")
        }
        let out = try FileHandle(forWritingTo: part)
        defer { try? out.close() }
        try out.seekToEnd()
        let rows = try FileHandle(forReadingFrom: sheet.file)
        defer { try? rows.close() }
        while let chunk = try rows.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
        try out.write(contentsOf: Data(("</sheetData>" + Self.hyperlinks(sheet.links) + "</worksheet>").utf8))
    }

    private func workbook() -> String {
        let entries: String = sheets.enumerated().map { index, sheet -> String in
            var name: [UInt8] = []
            Self.appendEscaped(sheet.name, to: &name)
            return "<sheet name=\"\(String(decoding: name, as: UTF8.self))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(entries)</sheets></workbook>
            """
    }
}

extension XLSXWriter {
    /// A, B, … Z, AA, AB, …
    static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// Columns a text takes: CJK characters are two wide.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
    }

    /// An ISO 8601 timestamp (`2026-11-21T10:30:00+08:00`) as an Excel serial date of its wall
    /// clock time (what the people reading it expect to see), or nil for any other text.
    static func excelDate(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 25, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
            bytes[16] == 0x3A
        else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
        // Serial 25569 is 1970-01-01 in Excel's 1900 date system.
        let days = date.timeIntervalSince1970 / 86_400 + 25_569
        let fraction = Double(hour * 3600 + minute * 60 + second) / 86_400
        return String(days + fraction)
    }

    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: Array("&amp;".utf8))
            case UInt8(ascii: "<"): out.append(contentsOf: Array("&lt;".utf8))
            case UInt8(ascii: ">"): out.append(contentsOf: Array("&gt;".utf8))
            case UInt8(ascii: "\""): out.append(contentsOf: Array("&quot;".utf8))
            // XML 1.0 has no other control characters than tab, LF and CR.
            case 0x09, 0x0A, 0x0D: out.append(byte)
            case 0..<0x20: out.append(UInt8(ascii: " "))
            default: out.append(byte)
            }
        }
    }

    static func contentTypes(_ count: Int) -> String {
        let sheets: String = (1...count).map { (index: Int) -> String in
            "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(sheets)</Types>
            """
    }

    static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static func workbookRelationships(_ count: Int) -> String {
        let sheets: String = (1...count).map { (index: Int) -> String in
            "<Relationship Id=\"rId\(index)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(sheets)\
            <Relationship Id="rId\(count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """
    }

    /// The sheet's `<hyperlinks>`: each cell's relationship is numbered in `linkRelationships`.
    static func hyperlinks(_ links: [(String, String)]) -> String {
        guard !links.isEmpty else { return "" }
        let entries = links.enumerated().map { index, link in "<hyperlink ref=\"\(link.0)\" r:id=\"rId\(index + 1)\"/>" }
        return "<hyperlinks>" + entries.joined() + "</hyperlinks>"
    }

    /// The addresses a sheet's links open, as its relationships part.
    static func linkRelationships(_ links: [(String, String)]) -> String {
        let entries: String = links.enumerated().map { index, link -> String in
            var target: [UInt8] = []
            appendEscaped(link.1, to: &target)
            return """
                <Relationship Id="rId\(index + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" \
                Target="\(String(decoding: target, as: UTF8.self))" TargetMode="External"/>
                """
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(entries)</Relationships>
            """
    }

    /// The style table, one `cellXfs` entry per `Style` in its order: normal, header (bold,
    /// grey), date, missing (red fill), link (blue, underlined), number.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>\
        <fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>\
        <font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/></font></fonts>\
        <fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFFF0000"/><bgColor indexed="64"/></patternFill></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="6"><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="49" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="49" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1" applyNumberFormat="1"/>\
        <xf numFmtId="49" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
