/// Makes text of the raw cells the sheet's thread recorded, on the reader's thread: shared
/// strings looked up, numbers and dates written out (see `XLSXReader` for how each shows).
struct XLSXCellText {
    let sharedStrings: XLSXSharedStrings
    let date1904: Bool
    /// `maxRowBytes` holds for the text a row is made into too: a shared string is stored once
    /// however many cells point to it, and a row of them would otherwise make that many copies.
    let limits: XLSXReader.Limits

    /// Why a row cannot be read, as its reject says it.
    struct Problem {
        var refusal: ReadRefusal
        var message: String
    }

    /// The row's values at columns `0..<width`, and what is wrong with the row, if anything.
    /// Cells right of `width` are looked at only when they may be what is wrong.
    func values(of row: XLSXRawRows.Row, in batch: XLSXRawRows, width: Int) -> (values: [String], problem: Problem?) {
        var values = [String](repeating: "", count: width)
        var problem = row.damage.map { describe($0, row: row.number) }
        var rowBytes = 0
        batch.bytes.withUnsafeBufferPointer { bytes in
            for cell in batch.cells[row.cells] {
                let column = Int(cell.column)
                if column < width {
                    values[column] = text(of: cell, in: bytes, row: row.number, rowBytes: &rowBytes, problem: &problem)
                } else if cell.kind == .shared {
                    _ = sharedIndex(of: cell, in: bytes, row: row.number, problem: &problem)
                }
            }
        }
        return (values, problem)
    }

    /// One past the rightmost column of the row that holds a cell; 0 when none does.
    static func width(of row: XLSXRawRows.Row, in batch: XLSXRawRows) -> Int {
        batch.cells[row.cells].lazy.map { Int($0.column) + 1 }.max() ?? 0
    }

    private func text(
        of cell: XLSXRawRows.Cell, in bytes: UnsafeBufferPointer<UInt8>, row: Int, rowBytes: inout Int,
        problem: inout Problem?
    ) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[cell.bytes])
        if cell.kind != .shared { rowBytes += raw.count }
        switch cell.kind {
        case .number:
            return XLSXValues.number(raw)
        case .date:
            if let serial = XLSXValues.double(raw), let date = XLSXValues.date(serial: serial, date1904: date1904) {
                return date
            }
            return XLSXValues.number(raw)
        case .shared:
            guard let index = sharedIndex(of: cell, in: bytes, row: row, problem: &problem) else { return "" }
            if sharedStrings.isOversized(index) {
                problem = problem ?? describe(.cellTooLarge(column: cell.column), row: row)
                return ""
            }
            rowBytes += sharedStrings.length(index)
            if rowBytes > limits.maxRowBytes {
                problem = problem ?? describe(.rowTooLarge, row: row)
                return ""
            }
            return sharedStrings[index]
        case .text:
            return XLSXValues.text(raw)
        case .boolean:
            return raw.count == 1 && raw[0] == 0x31
                ? "TRUE"
                : raw.count == 1 && raw[0] == 0x30
                    ? "FALSE"
                    : String(decoding: raw, as: UTF8.self)
        }
    }

    /// The index a shared cell holds, when the table has it.
    private func sharedIndex(
        of cell: XLSXRawRows.Cell, in bytes: UnsafeBufferPointer<UInt8>, row: Int,
        problem: inout Problem?
    ) -> Int? {
        let raw = UnsafeBufferPointer(rebasing: bytes[cell.bytes])
        if let index = XLSXValues.integer(raw), index < sharedStrings.count { return index }
        problem =
            problem
            ?? Problem(
                refusal: .malformed,
                message: "cell \(Self.reference(Int(cell.column)))\(row) points to "
                    + "shared string \(String(decoding: raw, as: UTF8.self)), the workbook has \(sharedStrings.count)")
        return nil
    }

    private func describe(_ damage: XLSXRawRows.Damage, row: Int) -> Problem {
        switch damage {
        case .cutOff:
            Problem(refusal: .malformed, message: "the row is cut off: the sheet's XML ends or breaks inside it")
        case .outOfOrder(let claimed):
            Problem(
                refusal: .malformed,
                message:
                    "the row is numbered \(claimed) (r=\"\(claimed)\"), not after row \(row - 1): the sheet's rows are out of order"
            )
        case .beyondLastColumn:
            Problem(refusal: .malformed, message: "a cell lies beyond column XFD, the last one a worksheet has")
        case .tooManyCells:
            Problem(
                refusal: .malformed,
                message: "the row holds more than \(XLSXValues.pastLastColumn) cells, the columns a worksheet has")
        case .cellTooLarge(let column):
            Problem(
                refusal: .tooLarge,
                message: "cell \(Self.reference(Int(column)))\(row) holds more than "
                    + "\(ByteSize.text(limits.maxCellBytes)) of text (\(XLSXReader.Limits.named("maxCellBytes")))")
        case .rowTooLarge:
            Problem(
                refusal: .tooLarge,
                message: "the row holds more than "
                    + "\(ByteSize.text(limits.maxRowBytes)) of text (\(XLSXReader.Limits.named("maxRowBytes")))")
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
