import CCSV
import Glibc

/// Streams the records of a delimited text file (CSV, semicolon- or tab-separated) through
/// libcsv, in any `TextEncoding`, keeping one chunk of the file in memory. A line without
/// quotes, most of an export, is split by the reader itself, to the same fields.
///
/// ```swift
/// let reader = try CSVReader(path: "crm_export.csv", options: .init(encoding: nil, delimiter: nil))
/// while let result = try reader.next() { … }
/// ```
///
/// Each record carries the physical line where it starts (the header being line 1), counting
/// LF and CRLF line ends and the newlines inside quoted fields. A record that cannot be read
/// (wrong field count, bytes invalid in the encoding, all cells empty, an unterminated quote)
/// comes out as `.unreadable` and the file goes on.
package final class CSVReader: RecordReader {
    package struct Options: Sendable {
        /// nil: detect (byte order mark, else UTF-8 if valid, else GB18030).
        package var encoding: TextEncoding?
        /// nil: detect among `,` `;` and tab from the first lines.
        package var delimiter: UInt8?
        /// The 1-based record that holds the column names; records before it are a preamble.
        package var headerRow: Int
        package var limits: ReadLimits
        /// false: every line goes through libcsv, also those `splitPlainLine` would split; the
        /// reference that the split is checked against (tests, the fuzz target).
        package var splitsPlainLines: Bool

        package init(
            encoding: TextEncoding? = nil, delimiter: UInt8? = nil, headerRow: Int = 1, limits: ReadLimits = ReadLimits(),
            splitsPlainLines: Bool = true
        ) {
            self.encoding = encoding
            self.delimiter = delimiter
            self.headerRow = headerRow
            self.limits = limits
            self.splitsPlainLines = splitsPlainLines
        }
    }

    package private(set) var columns: [String] = []
    package var encoding: TextEncoding { stream.encoding }
    package private(set) var delimiter: UInt8 = UInt8(ascii: ",")

    private let stream: UTF8Stream
    private let limits: ReadLimits
    private let splitsPlainLines: Bool
    private let parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
    /// Touched by libcsv's callbacks for every field, none of which overlaps another access:
    /// no exclusivity check at run time (with its thread-local look-ups, a tenth of a GBK
    /// file's read time).
    @exclusivity(unchecked) private var state = ParseState()
    private var queueIndex = 0
    private var finished = false
    private var delimiterDecided: Bool

    package init(path: String, options: Options = Options()) throws(ExtractError) {
        stream = try UTF8Stream(path: path, encoding: options.encoding)
        limits = options.limits
        splitsPlainLines = options.splitsPlainLines
        guard csv_init(parser, UInt8(CSV_APPEND_NULL)) == 0 else {
            parser.deallocate()
            throw ExtractError(.cannotRead, file: path, "cannot initialise the CSV parser")
        }
        // libcsv trims blanks around unquoted fields unless told that nothing is a blank.
        csv_set_space_func(parser, cb_csv_never_blank)
        delimiterDecided = options.delimiter != nil
        if let delimiter = options.delimiter { setDelimiter(delimiter) }
        try readHeader(headerRow: max(1, options.headerRow))
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
    }

    package func next() throws(ExtractError) -> ReadResult? {
        while queueIndex >= state.rows.count {
            state.rows.removeAll(keepingCapacity: true)
            queueIndex = 0
            if finished { return nil }
            try advance()
        }
        let row = state.rows[queueIndex]
        queueIndex += 1
        return check(row)
    }

    // MARK: - Shape checks

    private func check(_ row: RawRow) -> ReadResult {
        let locator = Locator.line(row.line)
        if let oversized = row.oversized {
            return .unreadable(UnreadableRecord(locator: locator, refusal: .tooLarge, message: oversized, values: row.fields))
        }
        if row.blankLine || row.fields.allSatisfy(\.isBlank) {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .emptyRow,
                    message: "every cell of the record is empty", values: row.fields))
        }
        if row.unterminatedQuote {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .malformed,
                    message: "a quoted field is never closed: the file ends inside it", values: row.fields))
        }
        if row.fields.count < columns.count
            || (row.fields.count > columns.count && !row.fields[columns.count...].allSatisfy(\.isEmpty))
        {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .malformed,
                    message: "the record has \(row.fields.count) fields, the header has \(columns.count)",
                    values: row.fields))
        }
        if row.invalidEncoding {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .badEncoding,
                    message: "the record holds bytes that are not valid \(encoding.rawValue) text", values: row.fields))
        }
        let values = row.fields.count == columns.count ? row.fields : Array(row.fields.prefix(columns.count))
        return .record(SourceRecord(locator: locator, values: values))
    }

    // MARK: - Parsing

    private func readHeader(headerRow: Int) throws(ExtractError) {
        var seen = 0
        while true {
            while queueIndex < state.rows.count {
                let row = state.rows[queueIndex]
                queueIndex += 1
                if row.blankLine { continue }
                seen += 1
                if seen == headerRow {
                    if let oversized = row.oversized {
                        throw ExtractError(.noHeader, file: stream.path, "the header row (line \(row.line)): \(oversized)")
                    }
                    if row.unterminatedQuote {
                        throw ExtractError(
                            .noHeader, file: stream.path,
                            """
                            the header row (line \(row.line)) opens a quote that is never closed: the whole \
                            file would be one column name; fix the export's quoting
                            """)
                    }
                    columns = row.fields.map { $0.trimmingBlanks() }
                    // a trailing delimiter on the header row names no column
                    while columns.last?.isEmpty == true { columns.removeLast() }
                    return
                }
            }
            if finished {
                throw ExtractError(
                    .noHeader, file: stream.path,
                    seen == 0
                        ? "the file is empty: no header row"
                        : "the file has \(seen) records, the header is set at record \(headerRow)")
            }
            try advance()
        }
    }

    /// Feeds the next chunk of text to libcsv; completed rows land in `state.rows`.
    private func advance() throws(ExtractError) {
        let more = try stream.nextChunk { (chunk) throws(ExtractError) in
            if !delimiterDecided {
                setDelimiter(Self.detectDelimiter(chunk))
                delimiterDecided = true
            }
            feed(chunk)
        }
        if !more { finish() }
    }

    private func setDelimiter(_ byte: UInt8) {
        delimiter = byte
        csv_set_delim(parser, byte)
    }

    private func feed(_ chunk: UnsafeBufferPointer<UInt8>) {
        guard let base = chunk.baseAddress else { return }
        let context = Unmanaged.passUnretained(self).toOpaque()
        var start = 0
        while start < chunk.count {
            let lineStart = state.atLineStart
            if lineStart {
                state.atLineStart = false
                state.lineStartedOutsideRecord = parser.pointee.pstate == 0
                state.rowsAtLineStart = state.rowCount
                if state.lineStartedOutsideRecord { state.recordLine = state.line }
            }
            let newline = memchr(base + start, 0x0A, chunk.count - start)
            let end = newline.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) + 1 } ?? chunk.count
            if !(splitsPlainLines && newline != nil && lineStart && state.lineStartedOutsideRecord
                && splitPlainLine(UnsafeBufferPointer(rebasing: chunk[start..<end])))
            {
                csv_parse(parser, base + start, end - start, fieldCallback, rowCallback, context)
                dropOversizedField()
            }
            if newline != nil {
                // A line libcsv skipped without starting a record is a blank line: account for it.
                if state.lineStartedOutsideRecord && state.rowCount == state.rowsAtLineStart
                    && parser.pointee.pstate == 0
                {
                    state.rows.append(RawRow(line: state.line, fields: [], blankLine: true))
                }
                state.line += 1
                state.atLineStart = true
            }
            start = end
        }
    }

    /// A whole line, LF included, that starts outside a record and holds no quote and no CR but
    /// one before its LF, is one record whose fields lie between delimiters: split here, as
    /// libcsv would, without its byte-at-a-time parse and a callback per field (two fifths of
    /// a CSV file's read time). False, with nothing done, for any other line.
    private func splitPlainLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var count = line.count - 1
        if count > 0, line[count - 1] == 0x0D { count -= 1 }
        guard count > 0, let base = line.baseAddress,
            memchr(base, Int32(UInt8(ascii: "\"")), count) == nil, memchr(base, 0x0D, count) == nil
        else { return false }
        var start = 0
        while let found = memchr(base + start, Int32(delimiter), count - start) {
            let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            addField(base + start, end - start)
            start = end + 1
        }
        addField(base + start, count - start)
        endRow()
        return true
    }

    /// A field past the cell limit is dropped as it streams in (libcsv's buffer is
    /// emptied), and its row rejected: an unterminated quote would otherwise make the rest of
    /// the file one cell, held in memory several times over.
    private func dropOversizedField() {
        guard parser.pointee.entry_pos > limits.cellBytes else { return }
        parser.pointee.entry_pos = 0
        state.fieldOversized = true
    }

    private func finish() {
        finished = true
        let unterminated = parser.pointee.quoted != 0
        let context = Unmanaged.passUnretained(self).toOpaque()
        csv_fini(parser, fieldCallback, rowCallback, context)
        if unterminated, !state.rows.isEmpty { state.rows[state.rows.count - 1].unterminatedQuote = true }
    }

    fileprivate func addField(_ bytes: UnsafeRawPointer?, _ count: Int) {
        state.rowBytes += count
        if count > limits.cellBytes { state.fieldOversized = true }
        if state.fieldOversized || state.fields.count >= limits.cellsPerRecord
            || state.rowBytes > limits.recordBytes
        {
            if state.oversized == nil {
                state.oversized =
                    state.fieldOversized
                    ? "cell \(state.fields.count + 1) holds more than the \(ByteSize.text(limits.cellBytes)) a cell may hold "
                        + "(a quote never closed?)"
                    : state.fields.count >= limits.cellsPerRecord
                        ? "the record has more than \(limits.cellsPerRecord) cells"
                        : "the record holds more than the \(ByteSize.text(limits.recordBytes)) a record may hold"
            }
            state.fieldOversized = false
            if state.fields.count < limits.cellsPerRecord { state.fields.append("") }
            return
        }
        guard let bytes, count > 0 else {
            state.fields.append("")
            return
        }
        // Decoding repairs invalid bytes with U+FFFD; private-use characters are what cp936 maps
        // its unassigned bytes (0xFF → U+F8F5) to: neither is customer data. Both start with byte
        // 0xEE or 0xEF in UTF-8, so only a field holding one needs its scalars looked at.
        // (`String(validating:as:)` is generic: its metadata look-up cost more than the decoding.)
        var text = String(
            decoding: UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: UInt8.self), count: count),
            as: UTF8.self)
        let suspect = text.withUTF8 { utf8 in
            memchr(utf8.baseAddress!, 0xEF, utf8.count) != nil || memchr(utf8.baseAddress!, 0xEE, utf8.count) != nil
        }
        if suspect && text.unicodeScalars.contains(where: { $0 == "\u{FFFD}" || (0xE000...0xF8FF).contains($0.value) }) {
            state.invalidEncoding = true
        }
        state.fields.append(text)
    }

    fileprivate func endRow() {
        state.rows.append(
            RawRow(
                line: state.recordLine, fields: state.fields,
                invalidEncoding: state.invalidEncoding, oversized: state.oversized))
        state.rowCount += 1
        state.fields.removeAll(keepingCapacity: state.fields.count < 1024)
        state.invalidEncoding = false
        state.oversized = nil
        state.rowBytes = 0
        // A record that ends mid-line (CR line ends) is followed by one on the same line.
        state.recordLine = state.line
    }

    /// Picks the delimiter that occurs most often, outside quotes, in the first lines.
    static func detectDelimiter(_ text: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lines = 0
        for byte in text {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == 0x0A { lines += 1; if lines == 5 { break } }
            if let index = candidates.firstIndex(of: byte) { counts[index] += 1 }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        return counts[best] == 0 ? candidates[0] : candidates[best]
    }
}

private struct RawRow {
    var line: Int
    var fields: [String]
    var blankLine = false
    var invalidEncoding = false
    var unterminatedQuote = false
    /// Why the record went over a read limit, if it did.
    var oversized: String?
}

private struct ParseState {
    var rows: [RawRow] = []
    var fields: [String] = []
    var invalidEncoding = false
    var rowBytes = 0
    var fieldOversized = false
    var oversized: String?
    var line = 1
    var recordLine = 1
    var rowCount = 0
    var rowsAtLineStart = 0
    var atLineStart = true
    var lineStartedOutsideRecord = true
}

private func fieldCallback(_ bytes: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<CSVReader>.fromOpaque(context!).takeUnretainedValue().addField(bytes, count)
}

private func rowCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<CSVReader>.fromOpaque(context!).takeUnretainedValue().endRow()
}
