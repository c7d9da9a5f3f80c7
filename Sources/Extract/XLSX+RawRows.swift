/// A batch of worksheet rows as the parser found them: each cell's column, the kind of value it
/// holds and its raw bytes, all cells' bytes in one buffer. Cells without a value (empty, or an
/// error such as `#N/A`) are left out, and so are cells of a damaged row past its damage.
struct XLSXRawRows: Sendable {
    enum Kind: UInt8 {
        /// A number, or a date when its style shows one.
        case number, date
        /// An index into the shared-strings table.
        case shared
        /// Inline, formula and ISO 8601 strings: the text as it is, Excel's escapes aside.
        case text
        case boolean
    }

    /// What is wrong with a row as the parser saw it: the first thing found, unless the row
    /// went over `maxRowBytes`, which drops everything else of it.
    enum Damage: Sendable {
        /// The sheet's XML ends or breaks inside the row.
        case cutOff
        /// A cell lies right of XFD.
        case beyondLastColumn
        /// More cells than a worksheet has columns (the same reference over and over).
        case tooManyCells
        /// The cell in this column holds more than `Limits.maxCellBytes`.
        case cellTooLarge(column: Int32)
        /// The row's cells hold more than `Limits.maxRowBytes`: none of them is kept.
        case rowTooLarge
        /// Its `r` names a row before the one read last, or none at all (`r="0"`): the row is
        /// numbered after the last one, so that locators never go back, and refused.
        case outOfOrder(claimed: Int)
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
        var damage: Damage?
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
