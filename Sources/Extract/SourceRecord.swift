/// Where a record sits in its source file, in the form the rejects export promises
/// (docs/design.md): `line N` for CSV, JSON Lines and XML, `SHEET!N` for a worksheet row,
/// `$[i]` for an element of a JSON array.
package enum Locator: Sendable, Hashable, CustomStringConvertible {
    case line(Int)
    case sheetRow(sheet: String, row: Int)
    case arrayIndex(Int)

    package var description: String {
        switch self {
        case .line(let n): "line \(n)"
        case .sheetRow(let sheet, let row): "\(sheet)!\(row)"
        case .arrayIndex(let i): "$[\(i)]"
        }
    }
}

/// One physical record of a source file: its cell values in the order of the reader's columns.
package struct SourceRecord: Sendable {
    package var locator: Locator
    package var values: [String]

    package init(locator: Locator, values: [String]) {
        self.locator = locator
        self.values = values
    }
}

/// Why a physical record could not be read. The raw values are the same strings that land in
/// `rejects.reason_code`.
package enum ReadRefusal: String, Sendable, CaseIterable {
    /// Every cell is empty.
    case emptyRow = "empty_row"
    /// The record does not have the header's shape: wrong field count, unterminated quote.
    case malformed
    /// The record holds bytes that are invalid in the file's encoding.
    case badEncoding = "bad_encoding"
    /// A cell or the whole record holds more text than the reader's limits allow.
    case tooLarge = "too_large"
}

/// A physical record the reader could not turn into a `SourceRecord`; the batch goes on.
package struct UnreadableRecord: Sendable, Error {
    package var locator: Locator
    package var refusal: ReadRefusal
    package var message: String
    /// The values that could be read, for finding the source id of a damaged record.
    package var values: [String]

    package init(locator: Locator, refusal: ReadRefusal, message: String, values: [String] = []) {
        self.locator = locator
        self.refusal = refusal
        self.message = message
        self.values = values
    }
}

/// What a reader yields for each physical record.
package enum ReadResult: Sendable {
    case record(SourceRecord)
    case unreadable(UnreadableRecord)
}

/// A pull-based stream of the records of one source file. Readers hold one chunk of the file
/// at a time, never the whole file.
package protocol RecordReader: AnyObject {
    /// The column names, in order, as the header row gives them.
    var columns: [String] { get }
    /// The next record, or nil at the end of the file.
    func next() throws(ExtractError) -> ReadResult?
}
