import Foundation
import Testing
import ZIPFoundation

@testable import Extract

/// The worksheet scanner, through the reader: every way a generator may spell the same cells
/// reads the same, and every way a sheet can be broken is an error with its line.
@Suite struct XLSXSheetScannerTests {
    private static let main = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#

    /// A workbook whose first sheet is exactly `xml`.
    private func book(sheet xml: String) throws -> String {
        var book = XLSXBuilder(rows: "")
        book.parts["xl/worksheets/sheet1.xml"] = xml
        return try book.write()
    }

    private func read(_ path: String) throws -> [[String]] {
        let reader = try XLSXReader(path: path)
        var rows = [reader.columns]
        while let next = try reader.next() { rows.append(next.record?.values ?? next.problem?.values ?? []) }
        return rows
    }

    @Test func prefixesQuotesEntitiesCDATACommentsAndBlanksReadAsTheirText() throws {
        let sheet = """
            \u{FEFF}<?xml version='1.0' encoding='utf-8' standalone='yes'?>
            <!-- written by a reporting tool -->
            <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="urn:r">
              <x:sheetData>
                <x:row r = '1' >
                  <x:c r="A1" t="inlineStr"><x:is><x:t>编号</x:t></x:is></x:c>
                  <x:c r='B1' t='inlineStr'><x:is><x:t>公司 &amp; 部门</x:t></x:is></x:c>
                  <x:c r="C1" t="inlineStr" ><x:is><x:t><![CDATA[备注 <b>]]></x:t></x:is></x:c>
                </x:row>
                <?page-break?>
                <x:row r="2"><x:c r="A2"><x:v>7</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t>A&lt;B&gt;&quot;C&quot;&apos;&#x4E2D;&#25991;</x:t></x:is></x:c><x:c r="C2"/></x:row>
              </x:sheetData>
            </x:worksheet>
            """
        let rows = try read(try book(sheet: sheet))
        #expect(rows == [["编号", "公司 & 部门", "备注 <b>"], ["7", "A<B>\"C\"'中文", ""]])
    }

    @Test func entitiesAndTagsSplitAcrossReadsComeOutWhole() throws {
        // Some 2 MB of sheet: every inflated chunk and buffer refill ends somewhere inside a
        // cell, an attribute or an entity.
        var rows = row(1, inline("A1", "编号"), inline("B1", "名称"))
        for n in 2...12_000 {
            rows +=
                #"<row r="\#(n)"><c r="A\#(n)"><v>\#(n)</v></c><c r="B\#(n)" t="inlineStr"><is><t>客户&amp;&#x4E2D;&lt;\#(n)&gt;</t></is></c></row>"#
        }
        let values = try read(try book(sheet: "<worksheet \(Self.main)><sheetData>\(rows)</sheetData></worksheet>"))
        #expect(values.count == 12_000)
        #expect(values.dropFirst().enumerated().allSatisfy { index, row in row == ["\(index + 2)", "客户&中<\(index + 2)>"] })
    }

    /// A part smaller than the usual buffer gets one that holds it whole, a power of two: a tag
    /// too long for it doubles it to the same `maxToken` either way.
    @Test(arguments: [
        (0, 4_096), (4_095, 4_096), (4_096, 8_192), (100_000, 131_072), (1 << 18, 1 << 18), (1 << 30, 1 << 18),
    ])
    func theBufferStartsAtAPowerOfTwoThatHoldsThePart(size: Int, capacity: Int) {
        #expect(XLSXSheetScanner.startingCapacity(size) == capacity)
    }

    @Test func aTextLongerThanTheBufferComesOutWhole() throws {
        // About 700 KB of text in one cell, nearly three times the scanner's 256 KiB buffer and
        // under the 1 MiB cell limit, entities all along (numbered, or it would compress past the
        // zip-bomb ratio).
        let numbers = 0..<60_000
        let text = numbers.map { "客户\($0)&amp;" }.joined()
        let rows = row(1, inline("A1", "备注")) + row(2, inline("A2", text))
        let values = try read(try book(sheet: "<worksheet \(Self.main)><sheetData>\(rows)</sheetData></worksheet>"))
        #expect(values.count == 2)
        #expect(values[1] == [numbers.map { "客户\($0)&" }.joined()])
    }

    @Test(arguments: [
        // A row closed by the wrong tag, on the sheet's third line.
        (
            "<sheetData>\n<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>\n<row r=\"3\"><c r=\"A3\"><v>2</v></row>",
            "line 3", "</row> where </c> was expected", 1
        ),
        (
            "<sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row>",
            "line 1", "unknown entity &nbsp;", 0
        ),
        ("<sheetData><row r=\"2\"><c r=\"A2\"><v>1 & 2</v></c></row>", "line 1", "an & that starts no entity", 0),
        (
            "<sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>&#0;</t></is></c></row>", "line 1", "unknown entity &#0;",
            0
        ),
        ("<sheetData><row r=\"2\"><c r=\"A2\"t=\"n\"><v>1</v></c></row>", "line 1", "malformed tag", 0),
        ("<sheetData><row r=\"2\"><c r=\"A<2\"><v>1</v></c></row>", "line 1", "malformed tag", 0),
        (
            "<sheetData><row r=\"2\"><c r=\"A2\"><v>1</v></c></row><row r=\"3\"><c r=\"A3", "line 1",
            "the XML breaks off inside a tag", 1
        ),
        (
            "<sheetData><row r=\"2\"><c r=\"A2\"><v>1</v></c></row><row r=\"3\"><c r=\"A3\"><v>2</v></c>", "line 1",
            "premature end of data inside <row>", 2
        ),
    ])
    func brokenSheetsYieldTheRowsBeforeTheDamageThenSayWhere(body: String, line: String, reason: String, rowsBefore: Int) throws {
        let header = row(1, inline("A1", "编号"))
        let sheet = "<worksheet \(Self.main)>" + body.replacingOccurrences(of: "<sheetData>", with: "<sheetData>" + header)
        let (rows, error) = readUntilFailure(try book(sheet: sheet))
        #expect(rows == rowsBefore)
        #expect(error?.code == .cannotRead)
        #expect(
            error?.message.contains("damaged at \(line) of xl/worksheets/sheet1.xml: \(reason)") == true,
            "\(error?.message ?? "no error")")
    }

    @Test func aDTDInTheSheetIsRefusedNotExpanded() throws {
        let sheet = """
            <?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <worksheet \(Self.main)><sheetData>\(row(1, inline("A1", "&xxe;")))</sheetData></worksheet>
            """
        let (_, error) = readUntilFailure(try book(sheet: sheet))
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("declares a DTD") == true)
    }

    @Test func aSheetInAnotherEncodingIsRefusedNotMisread() throws {
        let declared = #"<?xml version="1.0" encoding="GBK"?><worksheet \#(Self.main)><sheetData/></worksheet>"#
        #expect(readUntilFailure(try book(sheet: declared)).error?.message.contains("declares encoding GBK") == true)

        let path = try XLSXBuilder(rows: "").write()
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .update)
        try archive.remove(archive["xl/worksheets/sheet1.xml"]!)
        let utf16: [UInt8] = [0xFF, 0xFE] + "<worksheet/>".utf16.flatMap { [UInt8($0), 0] }
        try XLSXBuilder.add("xl/worksheets/sheet1.xml", Data(utf16), to: archive)
        #expect(readUntilFailure(path).error?.message.contains("the part is UTF-16") == true)
    }

    @Test func hostileNestingAndStrayTextAreErrorsNotCrashes() throws {
        let deep = String(repeating: "<a>", count: 100_000)
        let (_, nested) = readUntilFailure(try book(sheet: "<worksheet \(Self.main)><sheetData>\(deep)"))
        #expect(nested?.message.contains("elements nested deeper than 256") == true)

        let stray = "<worksheet \(Self.main)><sheetData>\(row(1, inline("A1", "编号")))</sheetData></worksheet>trailing"
        #expect(readUntilFailure(try book(sheet: stray)).error?.message.contains("text outside the root element") == true)

        let second = "<worksheet \(Self.main)><sheetData>\(row(1, inline("A1", "编号")))</sheetData></worksheet><worksheet/>"
        #expect(readUntilFailure(try book(sheet: second)).error?.message.contains("a second root element") == true)
    }
}
