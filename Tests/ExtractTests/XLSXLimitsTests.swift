import Foundation
import Testing
import ZIPFoundation

@testable import Extract

/// Hostile workbooks: every one ends in a reject of its row or a clear error before the file's
/// first row, never in a trap, a hang or memory without bound. The limits are lowered so that
/// each file stays a few kilobytes.
@Suite struct XLSXLimitsTests {
    /// What a workbook yields, one line per record (`Sheet1!2: 7|x`, `Sheet1!3 too_large: …`),
    /// and the error that ended it.
    private func outcome(_ path: String, _ limits: XLSXReader.Limits = .init()) -> (lines: [String], error: ExtractError?) {
        var lines: [String] = []
        do {
            let reader = try XLSXReader(path: path, options: .init(limits: limits))
            while let next = try reader.next() {
                switch next {
                case .record(let record): lines.append("\(record.locator): \(record.values.joined(separator: "|"))")
                case .unreadable(let problem): lines.append("\(problem.locator) \(problem.refusal.rawValue): \(problem.message)")
                }
            }
            return (lines, nil)
        } catch {
            return (lines, error)
        }
    }

    private static let sheetPart = "xl/worksheets/sheet1.xml"
    private static let header = row(1, inline("A1", "a"), inline("B1", "b"))

    /// A workbook whose first sheet holds `rows` after a two-column header, behind parts that
    /// carry numbers no Int holds (the reader takes nothing from them).
    private func book(_ rows: String, sharedStrings: [String] = ["<si><t>x</t></si>"]) throws -> String {
        var book = XLSXBuilder(rows: "")
        book.sharedStrings = sharedStrings
        book.parts[Self.sheetPart] =
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<dimension ref="A1:ZZZZZZZZZZZZZZZZ99999999999999999999"/>"#
            + #"<cols><col min="1" max="99999999999999999999" width="1e400"/></cols>"#
            + "<sheetData>" + Self.header + rows + "</sheetData></worksheet>"
        return try book.write()
    }

    // MARK: - Numbers beyond Int

    @Test(arguments: [
        // Fourteen column letters overflowed the column's Int: a trap (exit 132), also in `crmbridge check`.
        (
            row(2, number("ZZZZZZZZZZZZZZ2", "1")),
            "Sheet1!2 malformed: a cell lies beyond column XFD, the last one a worksheet has"
        ),
        // Four letters are past XFD too; the cell was read into the next free column.
        (row(2, number("ABCD2", "1")), "Sheet1!2 malformed: a cell lies beyond column XFD, the last one a worksheet has"),
        (row(2, number("A99999999999999999999", "7")), "Sheet1!2: 7|"),
        (#"<row r="99999999999999999999">\#(number("A9", "7"))</row>"#, "Sheet1!2: 7|"),
        (row(2, #"<c r="A2" s="99999999999999999999"><v>45474</v></c>"#), "Sheet1!2: 45474|"),
        (
            row(2, number("A2", "1"), #"<c r="B2" t="s"><v>99999999999999999999</v></c>"#),
            "Sheet1!2 malformed: cell B2 points to shared string 99999999999999999999, the workbook has 1"
        ),
        (
            row(2, number("A2", "1"), #"<c r="B2" t="s"><v>-1</v></c>"#),
            "Sheet1!2 malformed: cell B2 points to shared string -1, the workbook has 1"
        ),
        // Cells without a reference count on past the last column.
        (
            #"<row r="2">\#(String(repeating: "<c><v>1</v></c>", count: 16_385))</row>"#,
            "Sheet1!2 malformed: a cell lies beyond column XFD, the last one a worksheet has"
        ),
        // More cells than a row has columns: each one was kept, without bound.
        (
            #"<row r="2">\#(String(repeating: number("A2", "1"), count: 16_385))</row>"#,
            "Sheet1!2 malformed: the row holds more than 16384 cells, the columns a worksheet has"
        ),
    ])
    func numbersNoIntHoldsRejectTheirRowNotTrap(rows: String, line: String) throws {
        let (lines, error) = outcome(try book(rows + row(3, number("A3", "3"), inline("B3", "后"))))
        #expect(error == nil)
        #expect(lines == [line, "Sheet1!3: 3|后"])
    }

    @Test(arguments: ["-9223372036854775808", "0", "99999999999999999999"])
    func aSheetPositionNoSheetHasIsNamed(position: String) throws {
        let path = try book("")
        do {
            _ = try XLSXReader(path: path, options: .init(sheet: position))
            Issue.record("sheet \(position) opened")
        } catch {
            #expect(error.message == #"the workbook has no sheet "\#(position)"; its sheets: 1 "Sheet1""#)
        }
    }

    // MARK: - Limits checked before the first row

    /// Rows of a sheet spelled as writers spell them: the row limit counts them all.
    @Test(arguments: [
        #"<row r="N"><c r="AN"><v>N</v></c></row>"#,
        #"<row>\#n<c><v>N</v></c></row>"#,
        #"<row r="N"/>"#,
        #"<row\#tspans="1:1"><c><v>N</v></c></row>"#,
    ])
    func aSheetOverTheRowLimitFailsBeforeItsFirstRow(spelling: String) throws {
        func rows(_ count: Int) -> String {
            (2...count).map { spelling.replacingOccurrences(of: "N", with: "\($0)") }.joined()
        }
        var limits = XLSXReader.Limits()
        limits.maxRows = 40
        let prefixed = { (xml: String) in
            xml.replacingOccurrences(of: "<row", with: "<x:row").replacingOccurrences(of: "</row", with: "</x:row")
        }
        for transform in [{ (xml: String) in xml }, prefixed] {
            var book = XLSXBuilder(rows: "")
            book.parts[Self.sheetPart] =
                #"<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
                + "<x:sheetData>" + transform(Self.header + rows(41)) + "</x:sheetData></x:worksheet>"
            let (lines, error) = outcome(try book.write(), limits)
            #expect(lines.isEmpty)
            #expect(error?.code == .unsupported)
            #expect(
                error?.message == """
                    \(Self.sheetPart) holds more than 40 rows: split the sheet, or raise the limit \
                    (the pipeline file's limits.xlsx_rows; README, Limits) (before its first row)
                    """)
        }
        let (lines, error) = outcome(try book(rows(40)), limits)
        #expect(error == nil)
        #expect(lines.count == 39)
    }

    @Test func aSheetOverTheSizeLimitFailsBeforeItsFirstRow() throws {
        let rows = (2...3000).map { row($0, number("A\($0)", "\($0 * 7919)")) }.joined()
        var limits = XLSXReader.Limits()
        limits.maxEntrySize = 64 << 10
        let (lines, error) = outcome(try book(rows), limits)
        #expect(lines.isEmpty)
        #expect(error?.code == .unsupported)
        #expect(
            error?.message == """
                \(Self.sheetPart) inflates to more than 64 KiB: refused as a possible zip bomb; split the workbook, \
                or raise the limit (the pipeline file's limits.xlsx_inflated_bytes; README, Limits) (before its first row)
                """)
    }

    /// The parts held whole as they are read: a styles part of 20,000 cell formats.
    @Test func aStylesPartOverItsLimitFailsTheFile() throws {
        var book = XLSXBuilder(rows: Self.header + row(2, number("A2", "1")))
        book.styleFormats = (0..<20_000).map { $0 % 200 }
        var limits = XLSXReader.Limits()
        limits.maxSmallPartSize = 64 << 10
        let (lines, error) = outcome(try book.write(), limits)
        #expect(lines.isEmpty)
        #expect(
            error?.message == """
                xl/styles.xml inflates to more than 64 KiB: refused as a possible zip bomb; split the workbook, \
                or raise the limit (the pipeline file's limits.xlsx_small_part_bytes; README, Limits)
                """)
    }

    /// Rows, then megabytes of blanks that compress a thousandfold: the ratio guard compared the
    /// bytes inflated so far with the whole entry's compressed size, so it tripped only after
    /// `maxRatio` times the entry had been inflated, and every row parsed by then was loaded.
    @Test func aBombFailsTheRatioBeforeItsFirstRow() throws {
        let path = try book("")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .update)
        try archive.remove(archive[Self.sheetPart]!)
        let head = Data(
            (#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
                + Self.header + (2...200).map { row($0, number("A\($0)", "\($0)")) }.joined()).utf8)
        let size = 4 << 20
        try archive.addEntry(
            with: Self.sheetPart, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
            provider: { position, count in
                let start = Int(position)
                let fromHead = start < head.count ? head.subdata(in: start..<min(head.count, start + count)) : Data()
                return fromHead + Data(repeating: 0x20, count: count - fromHead.count)
            })
        var limits = XLSXReader.Limits()
        limits.maxRatio = 50
        limits.ratioFloor = 64 << 10
        let (lines, error) = outcome(path, limits)
        #expect(lines.isEmpty)
        #expect(
            error?.message.hasPrefix("\(Self.sheetPart) inflates more than 50 times its compressed size") == true,
            "\(error?.message ?? "no error")")
    }

    /// The sheet's central directory record: its CRC-32 sits 16 bytes into it, its uncompressed
    /// size 24.
    @Test(arguments: [(16, "fails its CRC check: the file is damaged"), (24, "where the zip directory says")])
    func aDamagedSheetFailsTheFileBeforeItsFirstRow(offset: Int, damage: String) throws {
        let rows = (2...50).map { row($0, number("A\($0)", "\($0)")) }.joined()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try book(rows))))
        let name = Array(Self.sheetPart.utf8)
        let record = (0..<bytes.count - 46 - name.count).last {
            bytes[$0..<$0 + 4] == [0x50, 0x4B, 0x01, 0x02] && Array(bytes[$0 + 46..<$0 + 46 + name.count]) == name
        }!
        bytes[record + offset] &+= 1
        let (lines, error) = outcome(try temporaryFile(bytes, suffix: ".xlsx"))
        #expect(lines.isEmpty, "rows of a damaged file were read")
        #expect(error?.code == .cannotRead)
        #expect(error?.message.hasPrefix("\(Self.sheetPart) ") == true, "\(error?.message ?? "no error")")
        #expect(error?.message.contains(damage) == true, "\(error?.message ?? "no error")")
    }

    /// A directory that gives the sheet 10 bytes when it inflates to some 240 KB: the inflater's
    /// chunks, sized by that claim, grow back to full size, and every byte is inflated and counted.
    @Test func aSheetLargerThanItsDirectorySaysFailsWithItsWholeSize() throws {
        let rows = (2...6_000).map { row($0, number("A\($0)", "\($0)")) }.joined()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try book(rows))))
        let name = Array(Self.sheetPart.utf8)
        let record = (0..<bytes.count - 46 - name.count).last {
            bytes[$0..<$0 + 4] == [0x50, 0x4B, 0x01, 0x02] && Array(bytes[$0 + 46..<$0 + 46 + name.count]) == name
        }!
        let size = bytes[record + 24..<record + 28].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(size > 3 << 16)
        bytes.replaceSubrange(record + 24..<record + 28, with: [10, 0, 0, 0])
        let (lines, error) = outcome(try temporaryFile(bytes, suffix: ".xlsx"))
        #expect(lines.isEmpty, "rows of a damaged file were read")
        #expect(
            error?.message.hasPrefix("\(Self.sheetPart) inflates to \(size) bytes where the zip directory says 10:") == true,
            "\(error?.message ?? "no error")")
    }

    // MARK: - Memory: the shared-strings table, cells and rows

    @Test(arguments: [
        (
            6, 10,
            "holds more than 5 strings: raise the limit if the workbook is genuine (the pipeline file's limits.xlsx_shared_strings; README, Limits)"
        ),
        (
            5, 300,
            "holds more than 1 KiB of text: raise the limit if the workbook is genuine (the pipeline file's limits.xlsx_shared_string_bytes; README, Limits)"
        ),
    ])
    func aSharedStringsTableOverItsLimitsFailsTheFile(count: Int, length: Int, message: String) throws {
        let strings = (0..<count).map { "<si><t>\(String(repeating: "客", count: length / 3))\($0)</t></si>" }
        var limits = XLSXReader.Limits()
        limits.maxSharedStrings = 5
        limits.maxSharedStringBytes = 1 << 10
        let (lines, error) = outcome(try book(row(2, number("A2", "1")), sharedStrings: strings), limits)
        #expect(lines.isEmpty)
        #expect(error?.code == .unsupported)
        #expect(error?.message == "xl/sharedStrings.xml \(message)")
    }

    @Test(arguments: [
        (
            inline("B2", String(repeating: "长", count: 400)),
            "Sheet1!2 too_large: cell B2 holds more than 1 KiB of text (the pipeline file's limits.cell_bytes; README, Limits)"
        ),
        (
            number("A2", String(repeating: "9", count: 1100)),
            "Sheet1!2 too_large: cell A2 holds more than 1 KiB of text (the pipeline file's limits.cell_bytes; README, Limits)"
        ),
        (
            #"<c r="B2" t="inlineStr"><is><r><t>\#(String(repeating: "a", count: 600))</t></r><r><t>\#(String(repeating: "b", count: 600))</t></r></is></c>"#,
            "Sheet1!2 too_large: cell B2 holds more than 1 KiB of text (the pipeline file's limits.cell_bytes; README, Limits)"
        ),
        (
            #"<c r="B2" t="s"><v>1</v></c>"#,
            "Sheet1!2 too_large: cell B2 holds more than 1 KiB of text (the pipeline file's limits.cell_bytes; README, Limits)"
        ),
        // Each cell under the cell limit, the row over the row limit: in the sheet, and through
        // the shared strings, which the sheet refers to by index.
        (
            (0..<5).map { inline("\(["A", "B", "C", "D", "E"][$0])2", String(repeating: "x", count: 900)) }.joined(),
            "Sheet1!2 too_large: the row holds more than 4 KiB of text (the pipeline file's limits.record_bytes; README, Limits)"
        ),
        (
            (0..<5).map { #"<c r="\#(["A", "B", "C", "D", "E"][$0])2" t="s"><v>2</v></c>"# }.joined(),
            "Sheet1!2 too_large: the row holds more than 4 KiB of text (the pipeline file's limits.record_bytes; README, Limits)"
        ),
    ])
    func aCellOrRowOverItsLimitIsRejectedAndTheFileGoesOn(cells: String, line: String) throws {
        var limits = XLSXReader.Limits()
        limits.maxCellBytes = 1 << 10
        limits.maxRowBytes = 4 << 10
        var book = XLSXBuilder(
            rows: row(1, inline("A1", "a"), inline("B1", "b"), inline("C1", "c"), inline("D1", "d"), inline("E1", "e"))
                + "<row r=\"2\">\(cells)</row>" + row(3, number("A3", "3"), inline("B3", "后")))
        book.sharedStrings = [
            "<si><t>x</t></si>", "<si><t>\(String(repeating: "y", count: 1100))</t></si>",
            "<si><t>\(String(repeating: "z", count: 900))</t></si>",
        ]
        let (lines, error) = outcome(try book.write(), limits)
        #expect(error == nil)
        #expect(lines == [line, "Sheet1!3: 3|后|||"])
    }

    /// The default cell limit, 1 MiB: a cell of exactly that much is read, one byte more is not.
    @Test func theDefaultCellLimitIsOneMebibyte() throws {
        // Letters that do not repeat, or the sheet would compress past the zip-bomb ratio.
        var state: UInt32 = 1
        let text = String(
            decoding: (0..<(1 << 20)).map { _ in
                state = state &* 1_103_515_245 &+ 12_345
                return UInt8(0x61 + (state >> 16) % 26)
            }, as: UTF8.self)
        let (lines, error) = outcome(try book(row(2, inline("A2", text)) + row(3, inline("A3", text + "z"))))
        #expect(error == nil)
        #expect(lines.count == 2)
        #expect(lines.first?.count == "Sheet1!2: ".count + (1 << 20) + 1)
        #expect(
            lines.last
                == "Sheet1!3 too_large: cell A3 holds more than 1 MiB of text (the pipeline file's limits.cell_bytes; README, Limits)"
        )
    }
}
