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
        book.parts[Self.sheetPart] = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<dimension ref="A1:ZZZZZZZZZZZZZZZZ99999999999999999999"/>"#
            + #"<cols><col min="1" max="99999999999999999999" width="1e400"/></cols>"#
            + "<sheetData>" + Self.header + rows + "</sheetData></worksheet>"
        return try book.write()
    }

    // MARK: - Numbers beyond Int

    @Test(arguments: [
        // Fourteen column letters overflowed the column's Int: a trap (exit 132), also in `crmbridge check`.
        (row(2, number("ZZZZZZZZZZZZZZ2", "1")), "Sheet1!2 malformed: a cell lies beyond column XFD, the last one a worksheet has"),
        // Four letters are past XFD too; the cell was read into the next free column.
        (row(2, number("ABCD2", "1")), "Sheet1!2 malformed: a cell lies beyond column XFD, the last one a worksheet has"),
        (row(2, number("A99999999999999999999", "7")), "Sheet1!2: 7|"),
        (#"<row r="99999999999999999999">\#(number("A9", "7"))</row>"#, "Sheet1!2: 7|"),
        (row(2, #"<c r="A2" s="99999999999999999999"><v>45474</v></c>"#), "Sheet1!2: 45474|"),
        (row(2, number("A2", "1"), #"<c r="B2" t="s"><v>99999999999999999999</v></c>"#),
         "Sheet1!2 malformed: cell B2 points to shared string 99999999999999999999, the workbook has 1"),
        (row(2, number("A2", "1"), #"<c r="B2" t="s"><v>-1</v></c>"#),
         "Sheet1!2 malformed: cell B2 points to shared string -1, the workbook has 1"),
        // Cells without a reference count on past the last column.
        (#"<row r="2">\#(String(repeating: "<c><v>1</v></c>", count: 16_385))</row>"#,
         "Sheet1!2 malformed: a cell lies beyond column XFD, the last one a worksheet has"),
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
}
