import Glibc

/// Streams the records of a JSON Lines file (one object per line) or of a JSON array of
/// objects, keeping one chunk of the file and one record in memory.
///
/// ```swift
/// let reader = try JSONReader(path: "web_forms.jsonl", columns: ["id", "answers.mobile", "data[0].value"],
///                             encoding: nil)
/// while let result = try reader.next() { … }   // values[i] is the value at columns[i]
/// ```
///
/// JSON has no header: the reader is told the paths to extract (dotted keys and array indexes,
/// `a.b[2].c`; array elements by a key's value, `answers[label=手机|电话].value`;
/// `answers.text#手机|电话` takes one labelled form answer of a text, see
/// `LabelledPath`). The layout is taken from the first non-blank byte: `[` is an array (locator
/// `$[i]`, 0-based), anything else JSON Lines (locator `line N`, the first line being line 1).
/// Values come out as text: strings as they are, numbers in plain decimal digits (a phone
/// stored as `1.38001E+10` is `13800100000`), `true`/`false`, null or missing as "", objects
/// and arrays as compact JSON. A line or element that cannot be read comes out as
/// `.unreadable`, with the values that could be read, and the file goes on.
package final class JSONReader: RecordReader {
    package enum Layout: Sendable { case lines, array }

    package let columns: [String]
    package var encoding: TextEncoding { stream.encoding }
    /// nil until the first non-blank byte has been read.
    package private(set) var layout: Layout?

    private let stream: UTF8Stream
    private let limits: ReadLimits
    private let paths: [[JSONPathStep]]
    private let labelled: [LabelledPath]
    /// The top-level keys the columns read: the values of other members are checked, not built.
    /// An array: a dozen short keys compare faster than they hash.
    private let wantedKeys: JSONKeys
    /// Per column, the key of a column that is one top-level key (most are): read directly.
    private let directKeys: [String?]
    private var results: [ReadResult] = []
    private var resultIndex = 0
    private var finished = false
    /// Blank bytes read before the layout is known.
    private var prefix: [UInt8] = []
    // JSON Lines
    private var lineBuffer: [UInt8] = []
    private var lineOversized = false
    private var line = 1
    // JSON array
    private var splitter = ArraySplitter()

    package init(path: String, columns: [String], encoding: TextEncoding?, limits: ReadLimits = ReadLimits()) throws(ExtractError)
    {
        stream = try UTF8Stream(path: path, encoding: encoding)
        self.limits = limits
        self.columns = columns
        labelled = columns.map(LabelledPath.init)
        paths = labelled.map { parsePath($0.base) }
        var wanted = columns
        for steps in paths { if case .key(let key) = steps.first, !wanted.contains(key) { wanted.append(key) } }
        wantedKeys = JSONKeys(wanted)
        directKeys = zip(columns, zip(paths, labelled)).map { column, step in
            let (steps, label) = step
            guard label.labels == nil, steps == [.key(column)] else { return nil }
            return column
        }
    }

    package func next() throws(ExtractError) -> ReadResult? {
        while resultIndex >= results.count {
            results.removeAll(keepingCapacity: true)
            resultIndex = 0
            if finished { return nil }
            try advance()
        }
        let result = results[resultIndex]
        resultIndex += 1
        return result
    }

    // MARK: - Splitting the stream into records

    private func advance() throws(ExtractError) {
        let more = try stream.nextChunk { chunk in feed(chunk) }
        if splitter.element.count > limits.recordBytes {
            throw ExtractError(
                .limitExceeded, file: stream.path,
                """
                element $[\(splitter.elements)] of the JSON array holds more than the \
                \(ByteSize.text(limits.recordBytes)) a record may hold
                """)
        }
        if !more { finish() }
    }

    private func feed(_ chunk: UnsafeBufferPointer<UInt8>) {
        guard let layout else {
            guard let first = chunk.firstIndex(where: { !isBlank($0) }) else {
                prefix.append(contentsOf: chunk)
                return
            }
            self.layout = chunk[first] == UInt8(ascii: "[") ? .array : .lines
            let blanks = prefix
            prefix = []
            blanks.withUnsafeBufferPointer { feed($0) }
            feed(chunk)
            return
        }
        switch layout {
        case .lines: feedLines(chunk)
        case .array: feedArray(chunk)
        }
    }

    private func feedLines(_ chunk: UnsafeBufferPointer<UInt8>) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count {
            guard let newline = memchr(base + start, 0x0A, chunk.count - start) else {
                appendToLine(UnsafeBufferPointer(rebasing: chunk[start...]))
                return
            }
            let end = UnsafeRawPointer(newline) - UnsafeRawPointer(base)
            appendToLine(UnsafeBufferPointer(rebasing: chunk[start..<end]))
            endLine()
            start = end + 1
        }
    }

    /// A line past the record limit is dropped as it streams in and rejected.
    private func appendToLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        if lineOversized { return }
        if lineBuffer.count + bytes.count > limits.recordBytes {
            lineOversized = true
            lineBuffer = []
            return
        }
        lineBuffer.append(contentsOf: bytes)
    }

    private func endLine() {
        if lineOversized {
            results.append(
                .unreadable(
                    UnreadableRecord(
                        locator: .line(line), refusal: .tooLarge,
                        message: "the line holds more than the \(ByteSize.text(limits.recordBytes)) a record may hold")))
            lineOversized = false
            line += 1
            return
        }
        if lineBuffer.last == 0x0D { lineBuffer.removeLast() }
        results.append(record(from: lineBuffer, locator: .line(line), what: "line"))
        lineBuffer.removeAll(keepingCapacity: lineBuffer.count < 1 << 16)
        line += 1
    }

    private func feedArray(_ chunk: UnsafeBufferPointer<UInt8>) {
        for byte in chunk {
            switch splitter.take(byte) {
            case .none: break
            case .element(let bytes):
                results.append(record(from: bytes, locator: .arrayIndex(splitter.elements - 1), what: "array element"))
            case .trailingText:
                results.append(
                    .unreadable(
                        UnreadableRecord(
                            locator: .arrayIndex(splitter.elements), refusal: .malformed,
                            message: "not valid JSON: text follows the end of the JSON array")))
            }
        }
    }

    private func finish() {
        finished = true
        if layout == nil {
            // Only blank bytes: a JSON Lines file of blank lines (or an empty file).
            layout = .lines
            let blanks = prefix
            prefix = []
            blanks.withUnsafeBufferPointer { feed($0) }
        }
        switch layout {
        case .lines:
            // A last line without its newline; trailing blanks after the last newline are no line.
            if lineOversized || !lineBuffer.allSatisfy(isBlank) { endLine() }
        case .array:
            if !splitter.element.isEmpty {
                let tail = splitter.element
                let values = (try? parseRecord(tail))?.values ?? partialValues(tail)
                results.append(
                    .unreadable(
                        UnreadableRecord(
                            locator: .arrayIndex(splitter.elements), refusal: .malformed,
                            message: "not valid JSON: the file ends inside this element (the JSON array is cut off)",
                            values: values)))
            }
        case nil: break
        }
    }

    // MARK: - One record

    private func record(from bytes: [UInt8], locator: Locator, what: String) -> ReadResult {
        if bytes.count > limits.recordBytes {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .tooLarge,
                    message: "the \(what) holds more than the \(ByteSize.text(limits.recordBytes)) a record may hold"))
        }
        if bytes.allSatisfy(isBlank) {
            return .unreadable(UnreadableRecord(locator: locator, refusal: .emptyRow, message: "the \(what) is blank"))
        }
        if !isCleanUTF8(bytes) {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .badEncoding,
                    message: "the \(what) holds bytes that are not valid \(encoding.rawValue) text",
                    values: (try? parseRecord(bytes))?.values ?? partialValues(bytes)))
        }
        let parsed: (values: [String], isEmpty: Bool)
        do {
            parsed = try parseRecord(bytes)
        } catch {
            switch error {
            case .notAnObject:
                return .unreadable(
                    UnreadableRecord(
                        locator: locator, refusal: .malformed,
                        message: "a JSON \(what) must be an object"))
            case .syntax(let message):
                return .unreadable(
                    UnreadableRecord(
                        locator: locator, refusal: .malformed,
                        message: "not valid JSON: \(message)", values: partialValues(bytes)))
            }
        }
        if parsed.isEmpty {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .emptyRow,
                    message: "the \(what) is an empty object", values: parsed.values))
        }
        return .record(SourceRecord(locator: locator, values: parsed.values))
    }

    /// The values at `paths` of a record that is a complete JSON object.
    private func parseRecord(_ bytes: [UInt8]) throws(RecordError) -> (values: [String], isEmpty: Bool) {
        var parser = JSONParser(bytes: bytes)
        var members: [(String, JSONValue)] = []
        parser.skipBlanks()
        guard parser.peek == UInt8(ascii: "{") else {
            do {
                _ = try parser.parseDocument()
            } catch {
                throw .syntax(error.message)
            }
            throw .notAnObject
        }
        do {
            try parser.parseObject(into: &members, keeping: wantedKeys)
        } catch {
            throw .syntax(error.message)
        }
        parser.skipBlanks()
        if !parser.atEnd { throw .syntax("text follows the object at byte \(parser.position + 1)") }
        return (values(of: members), parser.membersSeen == 0)
    }

    /// The values of the members read before a syntax error, for finding the source id of a
    /// damaged record; empty when the record is not an object at all.
    private func partialValues(_ bytes: [UInt8]) -> [String] {
        var parser = JSONParser(bytes: bytes)
        var members: [(String, JSONValue)] = []
        parser.skipBlanks()
        guard parser.peek == UInt8(ascii: "{") else { return [] }
        _ = try? parser.parseObject(into: &members, keeping: wantedKeys)
        return members.isEmpty ? [] : values(of: members)
    }

    private func values(of members: [(String, JSONValue)]) -> [String] {
        let root = JSONValue.object(members)
        return columns.indices.map { index in
            if let key = directKeys[index] {
                // Kept members' keys are the wanted names themselves: equal lengths first, cheaply.
                return members.last { $0.0.utf8.count == key.utf8.count && $0.0 == key }?.1.text ?? ""
            }
            let column = columns[index]
            // A key that holds dots itself (`utm.source`) is taken as it is.
            if let whole = members.last(where: { $0.0 == column }) { return whole.1.text }
            return labelled[index].value(from: root.value(at: paths[index])?.text ?? "")
        }
    }
}

private enum RecordError: Error {
    case notAnObject
    case syntax(String)
}

/// Valid UTF-8 without U+FFFD, which is what the decoder puts for bytes invalid in a legacy
/// encoding.
private func isCleanUTF8(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress, !allASCII(buffer) else { return true }
        guard isValidUTF8(buffer) else { return false }
        // U+FFFD is EF BF BD.
        var offset = 0
        while offset < buffer.count, let found = memchr(base + offset, 0xEF, buffer.count - offset) {
            let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            if at + 2 < buffer.count, buffer[at + 1] == 0xBF, buffer[at + 2] == 0xBD { return false }
            offset = at + 1
        }
        return true
    }
}

/// The top-level keys a reader wants, with their bytes for matching keys before making Strings.
struct JSONKeys {
    let names: [String]
    private let utf8: [[UInt8]]

    init(_ names: [String]) {
        self.names = names
        utf8 = names.map { Array($0.utf8) }
    }

    /// The wanted name spelt by `key`'s bytes, or nil.
    func name(matching key: ArraySlice<UInt8>) -> String? {
        for (index, bytes) in utf8.enumerated() where bytes.count == key.count && bytes.elementsEqual(key) {
            return names[index]
        }
        return nil
    }
}

/// RFC 3629 well-formedness (no overlong forms, surrogates or code points above U+10FFFF),
/// without building a String.
private func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    func continuation(_ offset: Int) -> Bool { index + offset < count && bytes[index + offset] & 0xC0 == 0x80 }
    while index < count {
        let lead = bytes[index]
        switch lead {
        case 0x00...0x7F:
            index += 1
        case 0xC2...0xDF:
            guard continuation(1) else { return false }
            index += 2
        case 0xE0...0xEF:
            guard continuation(1), continuation(2) else { return false }
            let second = bytes[index + 1]
            if lead == 0xE0 && second < 0xA0 { return false }  // overlong
            if lead == 0xED && second >= 0xA0 { return false }  // surrogate
            index += 3
        case 0xF0...0xF4:
            guard continuation(1), continuation(2), continuation(3) else { return false }
            let second = bytes[index + 1]
            if lead == 0xF0 && second < 0x90 { return false }  // overlong
            if lead == 0xF4 && second >= 0x90 { return false }  // above U+10FFFF
            index += 4
        default:
            return false
        }
    }
    return true
}

/// Whether every byte is ASCII, eight at a time.
private func allASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let raw = UnsafeRawBufferPointer(buffer)
    while index + 8 <= buffer.count {
        if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        index += 8
    }
    while index < buffer.count {
        if buffer[index] >= 0x80 { return false }
        index += 1
    }
    return true
}
