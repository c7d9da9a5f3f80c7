/// Turns the SAX events of a worksheet part into batches of raw rows, one `<row>` at a time:
/// each cell's column (sparse cells at their reference's column, cells without `r` counted on),
/// kind and value bytes. It does no more than record: the parse is the slower half of reading
/// a sheet, so making text of the cells is left to the reader's thread (`XLSXCellText`).
///
/// What it keeps is bounded whatever the sheet holds: a cell's text by `maxCellBytes`, a row's
/// by `maxRowBytes` and its cells by the columns a worksheet has (what is over a bound is
/// dropped and the row marked damaged), and a batch goes out at 256 rows or about 1 MiB.
final class XLSXSheetHandler: XLSXPartHandler {
    private enum CellType { case number, shared, inline, formula, boolean, error, isoDate }

    private let dateStyles: [Bool]
    private let maxCellBytes: Int
    private let maxRowBytes: Int
    /// Takes each full batch; false when nobody reads them any more.
    var emit: (XLSXRawRows) -> Bool = { _ in true }
    /// The number of the last row finished, for messages about damage after it.
    private(set) var lastRow = 0

    // Every callback reads and writes these: unchecked, since only one thread touches the
    // handler and Swift's dynamic exclusivity checks cost about a twentieth of the parse.
    @exclusivity(unchecked) private var batch = XLSXRawRows()
    @exclusivity(unchecked) private var inSheetData = false
    @exclusivity(unchecked) private var inRow = false
    @exclusivity(unchecked) private var rowNumber = 0
    @exclusivity(unchecked) private var rowCells = 0
    @exclusivity(unchecked) private var rowBytes = 0
    @exclusivity(unchecked) private var rowDamage: XLSXRawRows.Damage?
    /// The row went over `maxRowBytes`: its cells were dropped, and the rest of them are ignored.
    @exclusivity(unchecked) private var droppingRow = false
    @exclusivity(unchecked) private var nextColumn = 0
    // The cell being read; its value bytes go straight into the batch from `valueStart` on.
    @exclusivity(unchecked) private var column = 0
    @exclusivity(unchecked) private var type = CellType.number
    @exclusivity(unchecked) private var isDateStyle = false
    @exclusivity(unchecked) private var valueStart = 0
    @exclusivity(unchecked) private var capturing = false
    @exclusivity(unchecked) private var cellTooLarge = false
    @exclusivity(unchecked) private var inInlineString = false
    @exclusivity(unchecked) private var phonetic = 0

    static let maxColumns = XLSXValues.pastLastColumn
    /// Rows per batch: enough to make the hand-over between the threads rare. A batch of long
    /// rows goes out sooner, at `batchBytes` of text or `batchCells` cells.
    static let batchRows = 256
    static let batchBytes = 1 << 20
    static let batchCells = 1 << 16

    init(dateStyles: [Bool], limits: XLSXReader.Limits) {
        self.dateStyles = dateStyles
        maxCellBytes = limits.maxCellBytes
        maxRowBytes = limits.maxRowBytes
    }

    /// Hands over the rows recorded so far. `cutOff`: the parse stopped for damage, and the row
    /// it stopped inside, if it has a value, goes with them, marked as cut off, not dropped.
    func flush(cutOff: Bool = false) {
        if cutOff, inRow, batch.cells.count > rowCells {
            batch.rows.append(XLSXRawRows.Row(number: rowNumber, cells: rowCells..<batch.cells.count, damage: .cutOff))
            inRow = false
        }
        if !batch.rows.isEmpty { _ = emit(batch) }
        batch = XLSXRawRows()
    }

    override func start(_ name: XMLName, _ attributes: XMLAttributes) {
        switch name.bytes[0] {
        case 0x63 where name.bytes[1] == 0:  // c
            guard inRow else { return }
            startCell(attributes)
        case 0x76 where name.bytes[1] == 0:  // v
            capturing = inRow && type != .inline && !cellTooLarge && !droppingRow
        case 0x74 where name.bytes[1] == 0:  // t, inside an inline string
            capturing = inInlineString && phonetic == 0 && !cellTooLarge && !droppingRow
        case 0x72 where name.is("row"):
            guard inSheetData else { return }
            inRow = true
            rowNumber = attributes.integer("r") ?? lastRow + 1
            rowCells = batch.cells.count
            rowBytes = batch.bytes.count
            rowDamage = nil
            if rowNumber <= lastRow || rowNumber < 1 {
                rowDamage = .outOfOrder(claimed: rowNumber)
                rowNumber = lastRow + 1
            }
            droppingRow = false
            nextColumn = 0
        case 0x69 where name.is("is"):
            inInlineString = inRow
        case 0x72 where name.is("rPh"):
            phonetic += 1
        case 0x73 where name.is("sheetData"):
            inSheetData = true
        default:
            break
        }
    }

    /// `r`, `t` and `s` are the attributes a cell has: one pass, one byte each to tell them apart.
    private func startCell(_ attributes: XMLAttributes) {
        var reference: UnsafeBufferPointer<UInt8>?
        var typeBytes: UnsafeBufferPointer<UInt8>?
        var style: UnsafeBufferPointer<UInt8>?
        for index in 0..<attributes.count {
            guard let name = attributes.localName(at: index), name.bytes[1] == 0 else { continue }
            switch name.bytes[0] {
            case 0x72: reference = attributes.value(at: index)  // r
            case 0x74: typeBytes = attributes.value(at: index)  // t
            case 0x73: style = attributes.value(at: index)  // s
            default: break
            }
        }
        // Cells without a reference count on, but never past the column after XFD.
        column = min(reference.flatMap(XLSXValues.column(ofReference:)) ?? nextColumn, Self.maxColumns)
        cellTooLarge = false
        type = Self.cellType(typeBytes)
        let styleIndex = style.flatMap(XLSXValues.integer) ?? 0
        isDateStyle = styleIndex < dateStyles.count && dateStyles[styleIndex]
        valueStart = batch.bytes.count
    }

    override func end(_ name: XMLName) {
        switch name.bytes[0] {
        case 0x63 where name.bytes[1] == 0:  // c
            finishCell()
        case 0x76 where name.bytes[1] == 0, 0x74 where name.bytes[1] == 0:  // v, t
            capturing = false
        case 0x72 where name.is("row"):
            guard inRow else { return }
            inRow = false
            lastRow = rowNumber
            batch.rows.append(XLSXRawRows.Row(number: rowNumber, cells: rowCells..<batch.cells.count, damage: rowDamage))
            if batch.rows.count >= Self.batchRows || batch.bytes.count >= Self.batchBytes
                || batch.cells.count >= Self.batchCells
            {
                if !emit(batch) { stop() }
                // Room for a full batch (some 260 KB) once a batch has filled: the first grows as
                // it fills, since most sheets hold a few rows.
                batch = XLSXRawRows()
                batch.reserve(rows: Self.batchRows)
            }
        case 0x69 where name.is("is"):
            inInlineString = false
        case 0x72 where name.is("rPh"):
            phonetic -= 1
        case 0x73 where name.is("sheetData"):
            inSheetData = false
        default:
            break
        }
    }

    override func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard capturing else { return }
        let total = batch.bytes.count + bytes.count
        if total - valueStart > maxCellBytes {
            batch.bytes.removeSubrange(valueStart...)
            capturing = false
            cellTooLarge = true
        } else if total - rowBytes > maxRowBytes {
            batch.bytes.removeSubrange(rowBytes...)
            batch.cells.removeSubrange(rowCells...)
            capturing = false
            droppingRow = true
            rowDamage = .rowTooLarge
        } else {
            batch.bytes.append(contentsOf: bytes)
        }
    }

    private func damage(_ damage: XLSXRawRows.Damage) {
        if rowDamage == nil { rowDamage = damage }
    }

    private func finishCell() {
        guard inRow, !droppingRow else { return }
        nextColumn = column + 1
        let kind: XLSXRawRows.Kind?
        if cellTooLarge {
            damage(.cellTooLarge(column: Int32(column)))
            kind = nil
        } else if column >= Self.maxColumns {
            damage(.beyondLastColumn)
            kind = nil
        } else if batch.cells.count - rowCells >= Self.maxColumns {
            damage(.tooManyCells)
            kind = nil
        } else if batch.bytes.count == valueStart {
            kind = nil  // no value: every type reads as empty
        } else {
            switch type {
            case .number: kind = isDateStyle ? .date : .number
            case .shared: kind = .shared
            case .inline, .formula, .isoDate: kind = .text
            case .boolean: kind = .boolean
            // #N/A, #REF!, #DIV/0!: what a formula gives when it has no value. The cell reads as
            // empty, so that a lookup that failed in Excel is a missing value, not a phone "#N/A".
            case .error: kind = nil
            }
        }
        guard let kind else {
            batch.bytes.removeSubrange(valueStart...)
            return
        }
        batch.cells.append(XLSXRawRows.Cell(column: Int32(column), kind: kind, bytes: valueStart..<batch.bytes.count))
    }

    private static func cellType(_ bytes: UnsafeBufferPointer<UInt8>?) -> CellType {
        guard let bytes, let first = bytes.first else { return .number }
        switch (first, bytes.count) {
        case (0x73, 1): return .shared  // s
        case (0x62, 1): return .boolean  // b
        case (0x65, 1): return .error  // e
        case (0x64, 1): return .isoDate  // d: ISO 8601 text (strict OOXML)
        case (0x73, 3): return .formula  // str
        case (0x69, 9): return .inline  // inlineStr
        default: return .number  // n
        }
    }
}
