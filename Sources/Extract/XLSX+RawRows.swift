/// A batch of worksheet rows as the parser found them: each cell's column, the kind of value it
/// holds and its raw bytes, all cells' bytes in one buffer. Cells without a value (empty, or an
/// error such as `#N/A`) are left out.
struct XLSXRawRows: Sendable {
    enum Kind: UInt8 {
        /// A number, or a date when its style shows one.
        case number, date
        /// An index into the shared-strings table.
        case shared
        /// Inline, formula and ISO 8601 strings: the text as it is, Excel's escapes aside.
        case text
        case boolean
        /// A cell right of XFD: no value, and something wrong with its row.
        case beyondLastColumn
    }

    struct Cell {
        var column: Int32
        var kind: Kind
        /// Into `bytes`.
        var bytes: Range<Int>
    }

    struct Row {
        var number: Int
        /// Into `cells`.
        var cells: Range<Int>
        /// The sheet's XML ends or breaks inside the row.
        var cutOff = false
    }

    var rows: [Row] = []
    var cells: [Cell] = []
    var bytes: [UInt8] = []

    mutating func reserve(rows count: Int) {
        rows.reserveCapacity(count)
        // About what 20 cells of 20 bytes a row take: fewer reallocations while the batch fills.
        cells.reserveCapacity(count * 20)
        bytes.reserveCapacity(count * 400)
    }
}
