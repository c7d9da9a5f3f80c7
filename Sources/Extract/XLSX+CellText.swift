/// Makes text of the raw cells the sheet's thread recorded, on the reader's thread: shared
/// strings looked up, numbers and dates written out (see `XLSXReader` for how each shows).
struct XLSXCellText {
    let sharedStrings: XLSXSharedStrings
    let date1904: Bool

    /// The row's values at columns `0..<width`, and what is wrong with the row, if anything.
    /// Cells right of `width` are made text only when they may be what is wrong.
    func values(of row: XLSXRawRows.Row, in batch: XLSXRawRows, width: Int) -> (values: [String], problem: String?) {
        var values = [String](repeating: "", count: width)
        var problem: String?
        batch.bytes.withUnsafeBufferPointer { bytes in
            for cell in batch.cells[row.cells] {
                let column = Int(cell.column)
                if column < width {
                    values[column] = text(of: cell, in: bytes, row: row.number, problem: &problem)
                } else if cell.kind == .shared || cell.kind == .beyondLastColumn {
                    _ = text(of: cell, in: bytes, row: row.number, problem: &problem)
                }
            }
        }
        if row.cutOff { problem = "the row is cut off: the sheet's XML ends or breaks inside it" }
        return (values, problem)
    }

    /// One past the rightmost column of the row that holds a cell; 0 when none does.
    static func width(of row: XLSXRawRows.Row, in batch: XLSXRawRows) -> Int {
        batch.cells[row.cells].lazy.filter { $0.kind != .beyondLastColumn }.map { Int($0.column) + 1 }.max() ?? 0
    }

    private func text(of cell: XLSXRawRows.Cell, in bytes: UnsafeBufferPointer<UInt8>, row: Int,
                      problem: inout String?) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[cell.bytes])
        switch cell.kind {
        case .number:
            return XLSXValues.number(raw)
        case .date:
            if let serial = XLSXValues.double(raw), let date = XLSXValues.date(serial: serial, date1904: date1904) {
                return date
            }
            return XLSXValues.number(raw)
        case .shared:
            guard let index = XLSXValues.integer(raw), index < sharedStrings.count else {
                problem = "cell \(Self.reference(Int(cell.column)))\(row) points to shared string "
                    + "\(String(decoding: raw, as: UTF8.self)), the workbook has \(sharedStrings.count)"
                return ""
            }
            return sharedStrings[index]
        case .text:
            return XLSXValues.text(raw)
        case .boolean:
            return raw.count == 1 && raw[0] == 0x31 ? "TRUE" : raw.count == 1 && raw[0] == 0x30 ? "FALSE"
                : String(decoding: raw, as: UTF8.self)
        case .beyondLastColumn:
            problem = "a cell lies beyond column XFD, the last one a worksheet has"
            return ""
        }
    }

    /// `2` → `C`.
    static func reference(_ column: Int) -> String {
        var letters: [Character] = []
        var n = column + 1
        while n > 0 {
            letters.insert(Character(Unicode.Scalar(UInt8(0x41 + (n - 1) % 26))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }
}
