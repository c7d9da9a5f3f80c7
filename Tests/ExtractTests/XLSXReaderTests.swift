import Foundation
import Testing
import ZIPFoundation

@testable import Extract

private func readXLSX(_ path: String, _ options: XLSXReader.Options = .init()) throws -> (XLSXReader, [ReadResult]) {
    let reader = try XLSXReader(path: path, options: options)
    var results: [ReadResult] = []
    while let next = try reader.next() { results.append(next) }
    return (reader, results)
}

private func values(_ results: [ReadResult]) -> [[String]] {
    results.map { $0.record?.values ?? [] }
}

private func openError(_ path: String, _ options: XLSXReader.Options = .init()) -> ExtractError? {
    do {
        _ = try readXLSX(path, options)
        return nil
    } catch {
        return error as? ExtractError
    }
}

private let header = row(1, inline("A1", "客户编号 Customer No."), inline("B1", "手机 Mobile"), inline("C1", "创建日期 Created"))

@Suite struct XLSXReaderTests {
    @Test func readsSharedInlineRichAndFormulaStrings() throws {
        var book = XLSXBuilder(
            rows: row(
                1, #"<c r="A1" t="s"><v>0</v></c>"#, #"<c r="B1" t="s"><v>1</v></c>"#,
                #"<c r="C1" t="s"><v>2</v></c>"#)
                + row(
                    2, #"<c r="A2" t="s"><v>3</v></c>"#, #"<c r="B2" t="str"><f>A2&amp;"!"</f><v>K&amp;1!</v></c>"#,
                    #"<c r="C2" t="inlineStr"><is><r><t>深圳</t></r><r><t xml:space="preserve"> 南山</t></r></is></c>"#))
        book.sharedStrings = [
            "<si><t>编号</t></si>", "<si><t>公式</t></si>", "<si><t>城市</t></si>",
            // A rich-text run with a phonetic guide: the guide is not the cell's text.
            "<si><r><rPr><b/></rPr><t>单</t></r><r><t>天方_x000D_</t></r><rPh sb=\"0\" eb=\"1\"><t>shan</t></rPh></si>",
        ]
        let (reader, results) = try readXLSX(try book.write())
        #expect(reader.columns == ["编号", "公式", "城市"])
        #expect(values(results) == [["单天方\r", "K&1!", "深圳 南山"]])
    }

    @Test(arguments: [
        ("13800138000", "13800138000"),
        ("1.38001380000E10", "13800138000"),
        ("8613800138000", "8613800138000"),
        ("8.6138001380000E12", "8613800138000"),
        ("75588886666", "75588886666"),
        ("500000.5", "500000.5"),
        ("0.30000000000000004", "0.30000000000000004"),
        ("1.5E-7", "0.00000015"),
        ("1E+20", "100000000000000000000"),
        ("-42", "-42"),
        ("-0", "0"),
        ("007", "7"),
        ("12.50", "12.5"),
        ("n/a", "n/a"),
    ])
    func numbersComeOutAsExcelShowsThem(raw: String, text: String) throws {
        let book = XLSXBuilder(rows: row(1, inline("A1", "n")) + row(2, number("A2", raw)))
        let (_, results) = try readXLSX(try book.write())
        #expect(values(results) == [[text]])
    }

    @Test(arguments: [
        // (serial, date1904, text)
        ("45474", false, "2024-07-01"),
        ("46347.91315972222", false, "2026-11-21 21:54:57"),
        ("46027.354166666664", false, "2026-01-05 08:30:00"),
        ("1", false, "1900-01-01"),
        ("59", false, "1900-02-28"),
        ("60", false, "1900-02-29"),  // Lotus' day that never was, as Excel shows it
        ("61", false, "1900-03-01"),
        ("0.75", false, "18:00:00"),
        ("0", true, "1904-01-01"),
        ("44012", true, "2024-07-01"),
        ("-1", false, "-1"),
    ])
    func datesFollowTheWorkbooksDateSystem(serial: String, date1904: Bool, text: String) throws {
        var book = XLSXBuilder(rows: row(1, inline("A1", "d")) + row(2, number("A2", serial, style: 1)))
        book.styleFormats = [0, 14]
        book.date1904 = date1904
        let (reader, results) = try readXLSX(try book.write())
        #expect(reader.date1904 == date1904)
        #expect(values(results) == [[text]])
    }

    @Test func aRowNumberedOutOfOrderIsRefusedAndNumberedAfterTheLast() throws {
        // Found by fuzzing: `<row r="0">` after row 2 came out as sheet row 0.
        let book = XLSXBuilder(
            rows: row(1, inline("A1", "id")) + row(2, inline("A2", "K1")) + row(0, inline("A1", "K0"))
                + row(2, inline("A2", "K2")) + row(5, inline("A5", "K5")))
        let (_, results) = try readXLSX(try book.write())
        #expect(results.map { $0.problem?.refusal } == [nil, .malformed, .malformed, nil])
        #expect(
            results.map(\.locator) == [
                .sheetRow(sheet: "Sheet1", row: 2), .sheetRow(sheet: "Sheet1", row: 3), .sheetRow(sheet: "Sheet1", row: 4),
                .sheetRow(sheet: "Sheet1", row: 5),
            ])
        #expect(
            results[1].problem?.message
                == "the row is numbered 0 (r=\"0\"), not after row 2: the sheet's rows are out of order")
        #expect(results[3].record?.values == ["K5"])
    }

    @Test func datesAreFoundFromBuiltInAndCustomFormats() throws {
        var book = XLSXBuilder(
            rows: row(
                1, inline("A1", "a"), inline("B1", "b"), inline("C1", "c"), inline("D1", "d"),
                inline("E1", "e"), inline("F1", "f"))
                + row(
                    2, number("A2", "45474", style: 1), number("B2", "45474", style: 2), number("C2", "45474", style: 3),
                    number("D2", "45474", style: 4), number("E2", "45474.5", style: 5), number("F2", "45474", style: 6)))
        book.numberFormats = [
            164: #"yyyy"年"m"月"d"日""#, 165: "[Red]0.00", 166: "[h]:mm", 167: #"0" days""#,
            168: "[$-804]yyyy/m/d h:mm",
        ]
        book.styleFormats = [0, 164, 165, 166, 167, 168, 57]
        let (_, results) = try readXLSX(try book.write())
        #expect(values(results) == [["2024-07-01", "45474", "45474", "45474", "2024-07-01 12:00:00", "2024-07-01"]])
    }

    @Test func booleansErrorsAndEmptyCells() throws {
        let book = XLSXBuilder(
            rows: row(1, inline("A1", "a"), inline("B1", "b"), inline("C1", "c"), inline("D1", "d"))
                + row(
                    2, #"<c r="A2" t="b"><v>1</v></c>"#, #"<c r="B2" t="b"><v>0</v></c>"#,
                    #"<c r="C2" t="e"><f>VLOOKUP(A2,X!A:B,2,0)</f><v>#N/A</v></c>"#, inline("D2", "x")))
        let (_, results) = try readXLSX(try book.write())
        #expect(values(results) == [["TRUE", "FALSE", "", "x"]])
    }

    @Test func sparseCellsLandUnderTheirHeader() throws {
        let book = XLSXBuilder(
            rows: row(1, inline("A1", "a"), inline("C1", "c"), inline("E1", "e"))
                + row(2, number("E2", "5"), number("B2", "2"))
                // no r on the row nor on its cells: counted on from the previous ones
                + "<row><c><v>1</v></c><c><v>2</v></c><c r=\"D4\"><v>4</v></c><c><v>5</v></c><c><v>6</v></c></row>"
                + row(7, number("A7", "1"), number("Z7", "note right of the table")))
        let (reader, results) = try readXLSX(try book.write())
        #expect(reader.columns == ["a", "", "c", "", "e"])
        #expect(values(results) == [["", "2", "", "", "5"], ["1", "2", "", "4", "5"], ["1", "", "", "", ""]])
        #expect(
            results.map(\.locator) == [
                .sheetRow(sheet: "Sheet1", row: 2), .sheetRow(sheet: "Sheet1", row: 3),
                .sheetRow(sheet: "Sheet1", row: 7),
            ])
        #expect(results[0].locator.description == "Sheet1!2")
    }

    @Test func emptyRowsAreRefusedLikeCSVBlankLines() throws {
        let book = XLSXBuilder(
            rows: header
                + row(2, number("A2", "1001"))
                + #"<row r="3" s="2" customFormat="1"/>"#
                + row(4, inline("A4", " "), inline("C4", "　"), #"<c r="B4" s="1"/>"#)
                + row(5, number("A5", "1005")))
        let (_, results) = try readXLSX(try book.write())
        #expect(results.map { $0.problem?.refusal } == [nil, .emptyRow, .emptyRow, nil])
        #expect(results.map(\.locator.description) == ["Sheet1!2", "Sheet1!3", "Sheet1!4", "Sheet1!5"])
    }

    @Test func headerRowSkipsAPreamble() throws {
        let book = XLSXBuilder(
            rows: row(1, inline("A1", "客户导出 2026-11-21"))
                + row(3, inline("A3", " 编号 "), inline("B3", "名称"), inline("C3", ""))
                + row(4, number("A4", "1"), inline("B4", "甲")))
        let (reader, results) = try readXLSX(try book.write(), .init(headerRow: 3))
        #expect(reader.columns == ["编号", "名称"])
        #expect(values(results) == [["1", "甲"]])
        #expect(openError(try book.write(), .init(headerRow: 2))?.code == .noHeader)
    }

    @Test func picksTheSheetByNameOrPositionAndListsThemWhenMissing() throws {
        let book = XLSXBuilder(sheets: [
            ("客户 Customers", row(1, inline("A1", "a")) + row(2, inline("A2", "first"))),
            ("导出信息", row(1, inline("A1", "a")) + row(2, inline("A2", "second"))),
            ("R&D \"线索\"", row(1, inline("A1", "a")) + row(2, inline("A2", "third"))),
        ])
        let path = try book.write()
        #expect(values(try readXLSX(path).1) == [["first"]])
        #expect(values(try readXLSX(path, .init(sheet: "导出信息")).1) == [["second"]])
        #expect(values(try readXLSX(path, .init(sheet: "2")).1) == [["second"]])
        #expect(values(try readXLSX(path, .init(sheet: #"R&D "线索""#)).1) == [["third"]])
        #expect(try readXLSX(path, .init(sheet: "导出信息")).0.sheetNames == ["客户 Customers", "导出信息", #"R&D "线索""#])
        let missing = openError(path, .init(sheet: "Sheet9"))
        #expect(missing?.message == #"the workbook has no sheet "Sheet9"; its sheets: 1 "客户 Customers", 2 "导出信息", 3 "R&D "线索"""#)
    }

    @Test func aMissingSharedStringMakesTheRowMalformed() throws {
        var book = XLSXBuilder(
            rows: row(1, inline("A1", "a"), inline("B1", "b"))
                + row(2, number("A2", "1"), #"<c r="B2" t="s"><v>7</v></c>"#) + row(3, number("A3", "3")))
        book.sharedStrings = ["<si><t>x</t></si>"]
        let (_, results) = try readXLSX(try book.write())
        #expect(results[0].problem?.refusal == .malformed)
        #expect(results[0].problem?.message == "cell B2 points to shared string 7, the workbook has 1")
        #expect(results[0].problem?.values == ["1", ""])
        #expect(values(results)[1] == ["3", ""])
    }

    @Test func aCellBeyondXFDMakesTheRowMalformed() throws {
        let book = XLSXBuilder(
            rows: row(1, inline("A1", "a"), inline("B1", "b"))
                + row(2, number("A2", "1"), number("B2", "2"), number("XFE2", "9")) + row(3, number("A3", "3")))
        let (_, results) = try readXLSX(try book.write())
        #expect(results[0].problem?.message == "a cell lies beyond column XFD, the last one a worksheet has")
        #expect(results[0].problem?.values == ["1", "2"])
        #expect(values(results)[1] == ["3", ""])
    }

    @Test func aCutOffSheetYieldsItsRowsThenFails() throws {
        var rows = header
        for n in 2...40 { rows += row(n, number("A\(n)", "\(1000 + n)"), number("B\(n)", "13800138000")) }
        rows += #"<row r="41"><c r="A41"><v>1041</v></c><c r="B41"><v>1380"#  // the writer died here
        var book = XLSXBuilder(rows: "")
        book.parts["xl/worksheets/sheet1.xml"] =
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"# + rows
        let reader = try XLSXReader(path: try book.write())
        var results: [ReadResult] = []
        var failure: ExtractError?
        do {
            while let next = try reader.next() { results.append(next) }
        } catch {
            failure = error
        }
        #expect(results.count == 40)
        #expect(results.last?.problem?.refusal == .malformed)
        #expect(results.last?.locator.description == "Sheet1!41")
        #expect(failure?.code == .cannotRead)
        #expect(failure?.message.hasSuffix("(after sheet row 40)") == true, "\(failure?.message ?? "")")
        #expect(try reader.next() == nil)
    }

    @Test func aTruncatedZipIsACleanError() throws {
        let path = try XLSXBuilder(rows: header + row(2, number("A2", "1"))).write()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = try temporaryFile(Array(bytes.prefix(bytes.count / 2)), suffix: ".xlsx")
        let error = openError(cut)
        #expect(error?.code == .cannotRead)
        #expect(error?.message.contains("incomplete") == true)
    }

    @Test func damagedCompressedDataIsACleanError() throws {
        var rows = header
        for n in 2...20_000 { rows += row(n, number("A\(n)", "\(n * 7919)"), inline("B\(n)", "客户\(n * 31)")) }
        let path = try XLSXBuilder(rows: rows).write()
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // The sheet's local header is the first place its name occurs; damage its data after it.
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        let start = (0..<original.count - name.count).first { Array(original[$0..<$0 + name.count]) == name }!
        for damage in [100, 2000, 90_000] {
            var bytes = original
            for offset in stride(from: start + damage, to: start + damage + 400, by: 3) { bytes[offset] ^= 0x5A }
            let (read, failure) = readUntilFailure(try temporaryFile(bytes, suffix: ".xlsx"))
            #expect(failure?.code == .cannotRead, "damage at \(damage): \(read) rows, \(String(describing: failure))")
            #expect(read < 19_999)
        }
    }

    @Test func aZipBombStopsAtTheDefaultRatio() throws {
        // 64 MiB of blanks between two rows inflate from about 64 KiB: the ratio stops it early.
        let archivePath = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-\(UUID()).xlsx").path
        let book = XLSXBuilder(rows: header)
        try FileManager.default.copyItem(atPath: try book.write(), toPath: archivePath)
        let archive = try Archive(url: URL(fileURLWithPath: archivePath), accessMode: .update)
        try archive.remove(archive["xl/worksheets/sheet1.xml"]!)
        let head = Data(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8)
        let size = 64 << 20
        let blanks = Data(repeating: 0x20, count: 1 << 16)
        try archive.addEntry(
            with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size),
            compressionMethod: .deflate,
            provider: { position, count in
                position == 0 ? head + blanks.prefix(count - head.count) : blanks.prefix(count)
            })
        let ratio = openError(archivePath)
        #expect(ratio?.code == .unsupported)
        #expect(ratio?.message.contains("possible zip bomb") == true)
    }

    @Test func legacyEncryptedAndForeignFilesAreRefusedWithAWayOut() throws {
        let compound = try temporaryFile(
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504),
            suffix: ".xls")
        #expect(
            openError(compound)?.message == """
                .xls (Excel 97-2003) or password-protected workbook: open it in Excel/LibreOffice and save as .xlsx, \
                or `libreoffice --headless --convert-to xlsx FILE`
                """)
        let csv = try temporaryFile(Array("客户编号,手机\n1,13800138000\n".utf8), suffix: ".xlsx")
        #expect(openError(csv)?.message.hasPrefix("not an .xlsx workbook but text") == true)
        let empty = try temporaryFile([], suffix: ".xlsx")
        #expect(openError(empty)?.message == "the file is empty: not an .xlsx workbook")
        #expect(openError("/nonexistent/erp.xlsx")?.code == .cannotOpen)

        var notAWorkbook = XLSXBuilder(rows: header)
        notAWorkbook.parts["_rels/.rels"] = "<Relationships/>"
        let docx = try notAWorkbook.write()
        let archive = try Archive(url: URL(fileURLWithPath: docx), accessMode: .update)
        try archive.remove(archive["xl/workbook.xml"]!)
        #expect(openError(docx)?.message == "a zip archive but not an Excel workbook: it has no xl/workbook.xml")
    }

    @Test func aDTDIsRefusedNotExpanded() throws {
        var book = XLSXBuilder(rows: header)
        book.sharedStrings = []
        book.parts["xl/sharedStrings.xml"] = """
            <?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <sst><si><t>&lol2;</t></si></sst>
            """
        let error = openError(try book.write())
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("declares a DTD") == true)
    }

    /// A sheet of a chunk or less is inflated and parsed on the reader's thread, a larger one on
    /// threads of their own: the same rows come out either way.
    @Test func smallAndLargeSheetsReadAlike() throws {
        func rows(_ count: Int) -> String {
            var rows = header
            for n in 2...count { rows += row(n, number("A\(n)", "\(n * 7919)"), inline("B\(n)", "客户\(n)")) }
            return rows
        }
        let small = try XLSXBuilder(rows: rows(40)).write()
        let large = try XLSXBuilder(rows: rows(8_000)).write()
        let sheet = "xl/worksheets/sheet1.xml"
        let readsInline = { (path: String) in
            try XLSXPackage(path: path, limits: .init()).entry(sheet).map(XLSXInflater.inflatesInline)
        }
        #expect(try readsInline(small) == true)
        #expect(try readsInline(large) == false)
        let (_, fromSmall) = try readXLSX(small)
        let (_, fromLarge) = try readXLSX(large)
        #expect(fromLarge.count == 7_999)
        #expect(values(fromSmall) == values(Array(fromLarge.prefix(39))))
        #expect(values(fromSmall).last == ["316760", "客户40", ""])
    }

    @Test func droppingTheReaderEarlyStopsItsThread() throws {
        var rows = header
        for n in 2...20_000 { rows += row(n, number("A\(n)", "\(n)")) }
        let path = try XLSXBuilder(rows: rows).write()
        for _ in 0..<20 {
            let reader = try XLSXReader(path: path)
            _ = try reader.next()
        }
    }
}

@Suite struct XLSXValuesTests {
    @Test(arguments: [("A1", 0), ("C7", 2), ("Z9", 25), ("AA1", 26), ("XFD1048576", 16_383), ("7", -1)])
    func columnLetters(reference: String, column: Int) {
        let parsed = Array(reference.utf8).withUnsafeBufferPointer(XLSXValues.column(ofReference:))
        #expect(parsed == (column < 0 ? nil : column))
        if column >= 0 { #expect(XLSXCellText.reference(column) == reference.prefix { $0.isLetter }.description) }
    }

    /// Four letters or more lie past XFD whatever they spell, however many there are.
    @Test(arguments: ["XFE1", "ZZZ1", "ABCD1", "ZZZZZZZZZZZZZZ2", String(repeating: "Z", count: 200) + "1"])
    func columnsPastXFD(reference: String) {
        let parsed = Array(reference.utf8).withUnsafeBufferPointer(XLSXValues.column(ofReference:))
        #expect(parsed.map { $0 >= XLSXValues.pastLastColumn } == true)
    }

    @Test(arguments: [
        ("yyyy-mm-dd", true), ("m/d/yy h:mm", true), (#"yyyy"年"m"月"d"日""#, true), ("[$-F800]dddd, mmmm dd, yyyy", true),
        ("hh:mm:ss", true), ("General", false), ("#,##0.00", false), ("[Red]0.00;[Blue]-0.00", false),
        (#"0" days""#, false), (#"\d0"#, false), ("[h]:mm:ss", false), ("0.00E+00", false), ("@", false),
    ])
    func dateFormatCodes(code: String, isDate: Bool) {
        #expect(XLSXStylesHandler.isDateFormat(code) == isDate)
    }

    @Test(arguments: [("a_x000D_b", "a\rb"), ("_x005F_x000D_", "_x000D_"), ("snake_case", "snake_case"), ("_x00", "_x00")])
    func escapedCharacters(raw: String, text: String) {
        #expect(Array(raw.utf8).withUnsafeBufferPointer(XLSXValues.text) == text)
    }
}
