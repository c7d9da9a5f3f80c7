import Extract
import Glibc

/// How a reader's locators must follow each other.
enum LocatorOrder {
    /// Each later than the one before: one record per line of JSON Lines, or per element `$[i]`
    /// of a JSON array (never both in one file).
    case increasing
    /// Lines never earlier than the one before: several records may share a line (`a,b\rc,d`
    /// with classic Mac line ends in CSV, two pushes on one line of XML).
    case nondecreasingLines
    /// Sheet rows come in the order of the sheet's XML, whatever their numbers.
    case sheetRows
}

/// What every reader promises whatever the file holds, checked on one file read to the end:
/// it ends (libFuzzer's -timeout catches a hang); it stops only with an `ExtractError` (typed
/// throws); a record has one value per column; locators come in order; it yields no more
/// results than `maxResults` (each record consumes some of the input: a reader that yields
/// without reading is looping).
func drain(
    _ open: () throws(ExtractError) -> any RecordReader, order: LocatorOrder, maxResults: Int,
    check: (SourceRecord, [String]) -> Void = { _, _ in }
) {
    let reader: any RecordReader
    do {
        reader = try open()
    } catch {
        checkMessage(error)
        return
    }
    let columns = reader.columns
    var results = 0
    var previous: Locator?
    do {
        while let result = try reader.next() {
            results += 1
            require(results <= maxResults, "more than \(maxResults) results from an input that small")
            let locator: Locator
            switch result {
            case .record(let record):
                locator = record.locator
                require(
                    record.values.count == columns.count,
                    "\(record.locator): \(record.values.count) values for \(columns.count) columns")
                check(record, columns)
            case .unreadable(let unreadable):
                locator = unreadable.locator
                require(!unreadable.message.isEmpty, "\(unreadable.locator): an unreadable record without a message")
            }
            checkOrder(previous, locator, order)
            previous = locator
        }
    } catch {
        checkMessage(error)
    }
    require(reader.columns == columns, "the columns changed while reading")
}

private func checkOrder(_ previous: Locator?, _ locator: Locator, _ order: LocatorOrder) {
    switch (order, locator, previous) {
    case (.increasing, .line(let n), nil), (.nondecreasingLines, .line(let n), nil):
        require(n >= 1, "locator \(locator) before the first line")
    case (.increasing, .line(let n), .line(let before)?):
        require(n > before, "\(locator) after \(previous!): locators must increase")
    case (.nondecreasingLines, .line(let n), .line(let before)?):
        require(n >= before, "\(locator) after \(previous!): locators must not go back")
    case (.increasing, .arrayIndex(let i), nil):
        require(i >= 0, "negative index \(locator)")
    case (.increasing, .arrayIndex(let i), .arrayIndex(let before)?):
        require(i > before, "\(locator) after \(previous!): indexes must increase")
    case (.sheetRows, .sheetRow(_, let row), _):
        require(row >= 1, "sheet row \(row) in \(locator)")
    default:
        require(false, "locator \(locator) after \(previous.map(String.init(describing:)) ?? "none") from a \(order) reader")
    }
}

/// An error says which file and what went wrong, and does not quote the file at length
/// (README, Limits: messages show a short excerpt at most).
private func checkMessage(_ error: ExtractError) {
    require(!error.message.isEmpty, "an ExtractError (\(error.code)) without a message")
    require(error.message.utf8.count <= 2_000, "an ExtractError message of \(error.message.utf8.count) bytes")
}

/// Occurrences of `needle` in `haystack`, as bytes.
func occurrences(of needle: String, in haystack: UnsafeRawBufferPointer) -> Int {
    let pattern = Array(needle.utf8)
    var count = 0
    var offset = 0
    while let found = find(pattern, in: haystack, from: offset) {
        count += 1
        offset = found + 1
    }
    return count
}

/// Whether `part` is a run of bytes of `whole`.
func containsBytes(_ whole: String, _ part: String) -> Bool {
    var whole = whole
    return whole.withUTF8 { find(Array(part.utf8), in: UnsafeRawBufferPointer($0), from: 0) != nil }
}

/// Where `pattern` first occurs in `bytes` at or after `start`.
private func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    guard let first = pattern.first else { return start }
    var index = start
    while index + pattern.count <= bytes.count {
        if bytes[index] == first && pattern.indices.allSatisfy({ bytes[index + $0] == pattern[$0] }) { return index }
        index += 1
    }
    return nil
}
