/// One row of a worksheet as parsed: its number and its non-empty cells.
struct XLSXRow: Sendable {
    var number: Int
    var cells: [(column: Int, value: String)] = []
    /// Why the row cannot be trusted (a shared string that does not exist, a cell cut off).
    var problem: String?
}

/// Turns the SAX events of a worksheet part into rows, one `<row>` at a time: cell values by
/// type and style, sparse cells at their reference's column, rows without `r` counted on.
final class XLSXSheetHandler: XLSXPartHandler {
    private enum CellType { case number, shared, inline, formula, boolean, error, isoDate }

    private let sharedStrings: [String]
    private let dateStyles: [Bool]
    private let date1904: Bool
    /// Takes each finished row; false when nobody reads them any more.
    var emit: (XLSXRow) -> Bool = { _ in true }
    /// The number of the last row finished, for messages about damage after it.
    private(set) var lastRow = 0

    private var inSheetData = false
    private var row: XLSXRow?
    private var nextColumn = 0
    // The cell being read.
    private var column = 0
    private var type = CellType.number
    private var style = 0
    private var capturing = false
    private var inInlineString = false
    private var phonetic = 0
    private var buffer: [UInt8] = []

    static let maxColumns = 16_384

    init(sharedStrings: [String], dateStyles: [Bool], date1904: Bool) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        buffer.reserveCapacity(256)
    }

    /// The row the parse stopped inside, if any: reported as damaged, not dropped.
    var unfinishedRow: XLSXRow? {
        guard var row, !row.cells.isEmpty else { return nil }
        row.problem = "the row is cut off: the sheet's XML ends or breaks inside it"
        return row
    }

    override func start(_ name: XMLName, _ attributes: XMLAttributes) {
        switch name.bytes[0] {
        case 0x63 where name.bytes[1] == 0:   // c
            guard row != nil else { return }
            column = attributes.bytes("r").flatMap(XLSXValues.column(ofReference:)) ?? nextColumn
            type = Self.cellType(attributes.bytes("t"))
            style = attributes.integer("s") ?? 0
            buffer.removeAll(keepingCapacity: true)
        case 0x76 where name.bytes[1] == 0:   // v
            capturing = row != nil && type != .inline
        case 0x74 where name.bytes[1] == 0:   // t, inside an inline string
            capturing = inInlineString && phonetic == 0
        case 0x72 where name.is("row"):
            guard inSheetData else { return }
            row = XLSXRow(number: attributes.integer("r") ?? lastRow + 1)
            nextColumn = 0
        case 0x69 where name.is("is"):
            inInlineString = row != nil
        case 0x72 where name.is("rPh"):
            phonetic += 1
        case 0x73 where name.is("sheetData"):
            inSheetData = true
        default:
            break
        }
    }

    override func end(_ name: XMLName) {
        switch name.bytes[0] {
        case 0x63 where name.bytes[1] == 0:   // c
            finishCell()
        case 0x76 where name.bytes[1] == 0, 0x74 where name.bytes[1] == 0:   // v, t
            capturing = false
        case 0x72 where name.is("row"):
            guard let finished = row else { return }
            row = nil
            lastRow = finished.number
            if !emit(finished) { stop() }
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
        if capturing { buffer.append(contentsOf: bytes) }
    }

    private func finishCell() {
        guard row != nil else { return }
        nextColumn = column + 1
        guard column < Self.maxColumns else {
            row?.problem = "a cell lies beyond column XFD, the last one a worksheet has"
            return
        }
        let value = buffer.withUnsafeBufferPointer(cellValue)
        if !value.isEmpty { row?.cells.append((column, value)) }
    }

    private func cellValue(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        switch type {
        case .number:
            guard !raw.isEmpty else { return "" }
            if style < dateStyles.count, dateStyles[style],
               let serial = Double(String(decoding: raw, as: UTF8.self)),
               let date = XLSXValues.date(serial: serial, date1904: date1904) {
                return date
            }
            return XLSXValues.number(raw)
        case .shared:
            guard !raw.isEmpty else { return "" }
            guard let index = XLSXValues.integer(raw), index < sharedStrings.count else {
                let reference = Self.reference(column) + String(row?.number ?? 0)
                row?.problem = "cell \(reference) points to shared string \(String(decoding: raw, as: UTF8.self)), "
                    + "the workbook has \(sharedStrings.count)"
                return ""
            }
            return sharedStrings[index]
        case .inline, .formula, .isoDate:
            return XLSXValues.text(raw)
        case .boolean:
            return raw.count == 1 && raw[0] == 0x31 ? "TRUE" : raw.count == 1 && raw[0] == 0x30 ? "FALSE"
                : String(decoding: raw, as: UTF8.self)
        case .error:
            // #N/A, #REF!, #DIV/0!: what a formula gives when it has no value. The cell reads as
            // empty, so that a lookup that failed in Excel is a missing value, not a phone "#N/A".
            return ""
        }
    }

    private static func cellType(_ bytes: UnsafeBufferPointer<UInt8>?) -> CellType {
        guard let bytes, let first = bytes.first else { return .number }
        switch (first, bytes.count) {
        case (0x73, 1): return .shared      // s
        case (0x62, 1): return .boolean     // b
        case (0x65, 1): return .error       // e
        case (0x64, 1): return .isoDate     // d: ISO 8601 text (strict OOXML)
        case (0x73, 3): return .formula     // str
        case (0x69, 9): return .inline      // inlineStr
        default: return .number             // n
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
