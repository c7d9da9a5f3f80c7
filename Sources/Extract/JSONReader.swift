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
public final class JSONReader: RecordReader {
    public enum Layout: Sendable { case lines, array }

    public let columns: [String]
    public var encoding: TextEncoding { stream.encoding }
    /// nil until the first non-blank byte has been read.
    public private(set) var layout: Layout?

    private let stream: UTF8Stream
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

    public init(path: String, columns: [String], encoding: TextEncoding?) throws(ExtractError) {
        stream = try UTF8Stream(path: path, encoding: encoding)
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

    public func next() throws(ExtractError) -> ReadResult? {
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
        if splitter.element.count > ReadLimits.maxRecordBytes {
            throw ExtractError(.limitExceeded, file: stream.path, """
                element $[\(splitter.elements)] of the JSON array holds more than the \
                \(ReadLimits.maxRecordBytes >> 20) MiB a record may hold
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

    /// A line past `ReadLimits.maxRecordBytes` is dropped as it streams in and rejected.
    private func appendToLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        if lineOversized { return }
        if lineBuffer.count + bytes.count > ReadLimits.maxRecordBytes {
            lineOversized = true
            lineBuffer = []
            return
        }
        lineBuffer.append(contentsOf: bytes)
    }

    private func endLine() {
        if lineOversized {
            results.append(.unreadable(UnreadableRecord(
                locator: .line(line), refusal: .tooLarge,
                message: "the line holds more than the \(ReadLimits.maxRecordBytes >> 20) MiB a record may hold")))
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
                results.append(.unreadable(UnreadableRecord(
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
                results.append(.unreadable(UnreadableRecord(
                    locator: .arrayIndex(splitter.elements), refusal: .malformed,
                    message: "not valid JSON: the file ends inside this element (the JSON array is cut off)",
                    values: values)))
            }
        case nil: break
        }
    }

    // MARK: - One record

    private func record(from bytes: [UInt8], locator: Locator, what: String) -> ReadResult {
        if bytes.count > ReadLimits.maxRecordBytes {
            return .unreadable(UnreadableRecord(
                locator: locator, refusal: .tooLarge,
                message: "the \(what) holds more than the \(ReadLimits.maxRecordBytes >> 20) MiB a record may hold"))
        }
        if bytes.allSatisfy(isBlank) {
            return .unreadable(UnreadableRecord(locator: locator, refusal: .emptyRow, message: "the \(what) is blank"))
        }
        if !isCleanUTF8(bytes) {
            return .unreadable(UnreadableRecord(
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
                return .unreadable(UnreadableRecord(locator: locator, refusal: .malformed,
                                                    message: "a JSON \(what) must be an object"))
            case .syntax(let message):
                return .unreadable(UnreadableRecord(locator: locator, refusal: .malformed,
                                                    message: "not valid JSON: \(message)", values: partialValues(bytes)))
            }
        }
        if parsed.isEmpty {
            return .unreadable(UnreadableRecord(locator: locator, refusal: .emptyRow,
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

private func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
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
            if lead == 0xE0 && second < 0xA0 { return false }      // overlong
            if lead == 0xED && second >= 0xA0 { return false }     // surrogate
            index += 3
        case 0xF0...0xF4:
            guard continuation(1), continuation(2), continuation(3) else { return false }
            let second = bytes[index + 1]
            if lead == 0xF0 && second < 0x90 { return false }      // overlong
            if lead == 0xF4 && second >= 0x90 { return false }     // above U+10FFFF
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

// MARK: - Paths

enum JSONPathStep: Equatable {
    case key(String)
    case index(Int)
    /// `[label=手机|电话]`: the element of an array of objects whose `key` member is one of `values`.
    case select(key: String, values: [String])
}

/// `a.b[2].c` → key a, key b, index 2, key c; `answers[label=手机].value` → key answers, the
/// element whose `label` is 手机, key value. Dots inside brackets do not split the path
/// (`[label=No.]`). A bracket that holds neither a number nor `KEY=VALUE` is part of the key.
func parsePath(_ path: String) -> [JSONPathStep] {
    var steps: [JSONPathStep] = []
    for part in splitOutsideBrackets(path) {
        var name = part
        var trailing: [JSONPathStep] = []
        while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
            let inside = name[name.index(after: open)..<name.index(before: name.endIndex)]
            if let index = Int(inside), index >= 0 {
                trailing.insert(.index(index), at: 0)
            } else if let equals = inside.firstIndex(of: "="), case let key = inside[..<equals].trimmingBlanks(), !key.isEmpty {
                let values = inside[inside.index(after: equals)...].split(separator: "|").map { $0.trimmingBlanks() }
                trailing.insert(.select(key: key, values: values), at: 0)
            } else {
                break
            }
            name = name[..<open]
        }
        if !name.isEmpty || trailing.isEmpty { steps.append(.key(String(name))) }
        steps.append(contentsOf: trailing)
    }
    return steps
}

/// `path` cut at the dots that are not inside brackets.
private func splitOutsideBrackets(_ path: String) -> [Substring] {
    var parts: [Substring] = []
    var start = path.startIndex
    var depth = 0
    for index in path.indices {
        switch path[index] {
        case "[": depth += 1
        case "]": depth = max(0, depth - 1)
        case "." where depth == 0:
            parts.append(path[start..<index])
            start = path.index(after: index)
        default: break
        }
    }
    parts.append(path[start...])
    return parts
}

// MARK: - Values

enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text as the file spells it.
    case number(String)
    case bool(Bool)
    case null

    func value(at steps: [JSONPathStep]) -> JSONValue? {
        value(at: steps[...])
    }

    private func value(at steps: ArraySlice<JSONPathStep>) -> JSONValue? {
        var current = self
        for index in steps.indices {
            switch (steps[index], current) {
            case (.key(let key), .object(let members)):
                // The last of repeated keys wins, as in most JSON parsers.
                guard let member = members.last(where: { $0.0 == key }) else { return nil }
                current = member.1
            case (.index(let position), .array(let elements)):
                guard elements.indices.contains(position) else { return nil }
                current = elements[position]
            case (.select(let key, let values), .array(let elements)):
                // Form tools list answers in any order, and may list a question twice with one
                // answer left empty: the first element whose rest of the path has a value wins.
                let rest = steps[(index + 1)...]
                var firstFound: JSONValue?
                for element in elements where element.selected(by: key, values) {
                    guard let found = element.value(at: rest) else { continue }
                    if !found.isBlank { return found }
                    firstFound = firstFound ?? found
                }
                return firstFound
            default:
                return nil
            }
        }
        return current
    }

    /// Whether this is an object whose `key` member is one of `values`, blanks and a trailing
    /// colon aside (`"label": "手机："`).
    private func selected(by key: String, _ values: [String]) -> Bool {
        guard case .object(let members) = self, let member = members.last(where: { $0.0 == key }) else { return false }
        var text = member.1.text.trimmingBlanks()
        if text.hasSuffix("：") || text.hasSuffix(":") { text = String(text.dropLast()).trimmingBlanks() }
        return values.contains(text)
    }

    /// null, or a string of blanks.
    private var isBlank: Bool {
        switch self {
        case .null: true
        case .string(let text): text.isBlank
        default: false
        }
    }

    /// The value as one cell of text.
    var text: String {
        switch self {
        case .string(let text): return text
        case .number(let text): return plainDecimal(text)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .object, .array:
            var out = ""
            writeCompact(to: &out)
            return out
        }
    }

    func writeCompact(to out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (offset, (key, value)) in members.enumerated() {
                if offset > 0 { out += "," }
                writeJSONString(key, to: &out)
                out += ":"
                value.writeCompact(to: &out)
            }
            out += "}"
        case .array(let elements):
            out += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out += "," }
                element.writeCompact(to: &out)
            }
            out += "]"
        case .string(let text): writeJSONString(text, to: &out)
        case .number(let text): out += text
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        }
    }
}

private func writeJSONString(_ text: String, to out: inout String) {
    out += "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    out += "\""
}

/// A JSON number in plain decimal digits: integral values as integers (a phone stored as
/// `1.38E10` is `13800000000`, not `1.38E10`), others in their shortest decimal form.
func plainDecimal(_ number: String) -> String {
    let bytes = Array(number.utf8)
    guard bytes.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
        return number
    }
    var index = 0
    let negative = bytes.first == UInt8(ascii: "-")
    if negative { index = 1 }
    var digits: [UInt8] = []
    var integerCount = 0
    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
        digits.append(bytes[index]); integerCount += 1; index += 1
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
        index += 1
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { digits.append(bytes[index]); index += 1 }
    }
    var exponent = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
        guard let value = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)
                                .replacingPlus()), value.magnitude <= 400 else {
            return Double(number).map { "\($0)" } ?? number
        }
        exponent = value
    }
    // The decimal point sits after `point` digits.
    let point = integerCount + exponent
    let zero = UInt8(ascii: "0")
    var integer: [UInt8]
    var fraction: [UInt8]
    if point >= digits.count {
        integer = digits + [UInt8](repeating: zero, count: point - digits.count)
        fraction = []
    } else if point <= 0 {
        integer = []
        fraction = [UInt8](repeating: zero, count: -point) + digits
    } else {
        integer = Array(digits[..<point])
        fraction = Array(digits[point...])
    }
    while integer.first == zero { integer.removeFirst() }
    while fraction.last == zero { fraction.removeLast() }
    if integer.isEmpty { integer = [zero] }
    var text = String(decoding: integer, as: UTF8.self)
    if !fraction.isEmpty { text += "." + String(decoding: fraction, as: UTF8.self) }
    return negative && text != "0" ? "-" + text : text
}

private extension String {
    func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }
}

// MARK: - Parsing

struct JSONSyntaxError: Error {
    var message: String
}

/// A strict JSON parser over the bytes of one record.
struct JSONParser {
    let bytes: [UInt8]
    private(set) var position = 0
    /// Members of the top-level object read, kept or not.
    private(set) var membersSeen = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func skipBlanks() {
        while position < bytes.count, isBlank(bytes[position]) { position += 1 }
    }

    /// One whole value, with nothing after it.
    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        let value = try parseValue(depth: 0)
        skipBlanks()
        if !atEnd { throw unexpected("after the value") }
        return value
    }

    /// An object; the members read so far are in `members` even when it fails. With `keeping`,
    /// only the members of those keys are built; the others are parsed and dropped.
    mutating func parseObject(into members: inout [(String, JSONValue)], depth: Int = 0,
                              keeping: JSONKeys? = nil) throws(JSONSyntaxError) {
        guard depth < 512 else { throw JSONSyntaxError(message: "nesting deeper than 512 levels") }
        position += 1 // {
        skipBlanks()
        if peek == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipBlanks()
            guard peek == UInt8(ascii: "\"") else { throw unexpected("where a key in quotes should be") }
            // A plain key is matched on its bytes: no String is made for a member nobody reads.
            let key: String?
            if let keeping, let end = plainStringEnd() {
                key = keeping.name(matching: bytes[(position + 1)..<end])
                position = end + 1
            } else {
                let parsed = try parseString()
                key = keeping.map { $0.names.contains(parsed) ? parsed : nil } ?? parsed
            }
            skipBlanks()
            guard peek == UInt8(ascii: ":") else { throw unexpected("where ':' should follow a key") }
            position += 1
            if depth == 0 { membersSeen += 1 }
            if let key {
                members.append((key, try parseValue(depth: depth + 1)))
            } else {
                try skipValue(depth: depth + 1)
            }
            skipBlanks()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return
            default: throw unexpected("where ',' or '}' should be")
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipBlanks()
        guard let byte = peek else { throw unexpected("where a value should be") }
        switch byte {
        case UInt8(ascii: "{"):
            var members: [(String, JSONValue)] = []
            try parseObject(into: &members, depth: depth)
            return .object(members)
        case UInt8(ascii: "["):
            guard depth < 512 else { throw JSONSyntaxError(message: "nesting deeper than 512 levels") }
            position += 1
            var elements: [JSONValue] = []
            skipBlanks()
            if peek == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                elements.append(try parseValue(depth: depth + 1))
                skipBlanks()
                switch peek {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .array(elements)
                default: throw unexpected("where ',' or ']' should be")
                }
            }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected("where a value should be")
        }
    }

    /// The index of the closing quote of the string whose opening quote is at `position` (or
    /// whose text starts at `from`), when it holds no escape or control character.
    private func plainStringEnd(from start: Int? = nil) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            var index = start ?? position + 1
            while index < buffer.count {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\"") { return index }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }
    }

    /// Checks one value's syntax without building it.
    private mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        skipBlanks()
        if peek == UInt8(ascii: "\"") { try skipString() } else { _ = try parseValue(depth: depth) }
    }

    private mutating func skipString() throws(JSONSyntaxError) {
        let start = position
        position += 1 // "
        while let byte = peek {
            switch byte {
            case UInt8(ascii: "\""): position += 1; return
            case UInt8(ascii: "\\"):
                // Escapes are checked by the full parse.
                position = start
                _ = try parseString()
                return
            case 0x00..<0x20:
                position = start
                _ = try parseString()
                return
            default: position += 1
            }
        }
        throw JSONSyntaxError(message: "the text ends inside the string that starts at byte \(start + 1)")
    }

    private mutating func literal(_ word: String) throws(JSONSyntaxError) {
        let expected = Array(word.utf8)
        guard position + expected.count <= bytes.count,
              bytes[position..<(position + expected.count)].elementsEqual(expected) else {
            throw unexpected("where a value should be")
        }
        position += expected.count
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = position
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.position
            while let byte = parser.peek, byte >= 0x30, byte <= 0x39 { parser.position += 1 }
            return parser.position - from
        }
        if peek == UInt8(ascii: "-") { position += 1 }
        let leadingZero = peek == UInt8(ascii: "0")
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw unexpected("in a number") }
        if leadingZero && integerDigits > 1 { throw JSONSyntaxError(message: "a number starts with 0 at byte \(start + 1)") }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw unexpected("after a decimal point") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw unexpected("in an exponent") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        position += 1 // "
        // Most strings hold no escape: one scan, one String made straight from the bytes.
        if let plainEnd = plainStringEnd(from: position) {
            defer { position = plainEnd + 1 }
            return String(decoding: bytes[position..<plainEnd], as: UTF8.self)
        }
        var out: [UInt8] = []
        while true {
            guard let byte = peek else {
                throw JSONSyntaxError(message: "the text ends inside the string that starts at byte \(start + 1)")
            }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = peek else {
                    throw JSONSyntaxError(message: "the text ends inside the string that starts at byte \(start + 1)")
                }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), peek == UInt8(ascii: "\\"),
                       position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                        }
                    }
                    // A lone surrogate is no character: it becomes U+FFFD.
                    out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
                default:
                    throw JSONSyntaxError(message: "unknown escape '\\\(Unicode.Scalar(escape))' at byte \(position - 1)")
                }
            case 0x00..<0x20:
                throw JSONSyntaxError(message: "a control character (0x\(String(byte, radix: 16))) inside a string at byte \(position)")
            default:
                out.append(byte)
            }
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
              let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16) else {
            throw JSONSyntaxError(message: "a \\u escape needs four hex digits at byte \(position)")
        }
        position += 4
        return value
    }

    private func unexpected(_ context: String) -> JSONSyntaxError {
        guard let byte = peek else {
            return JSONSyntaxError(message: "the text ends \(context) (it is cut off)")
        }
        let shown = byte < 0x80 && byte >= 0x20 ? "'\(Unicode.Scalar(byte))'" : "byte 0x\(String(byte, radix: 16))"
        return JSONSyntaxError(message: "unexpected \(shown) at byte \(position + 1), \(context)")
    }
}

// MARK: - Array splitter

/// Cuts the top-level elements out of a JSON array one byte at a time, tracking depth,
/// strings and escapes, so that only one element is ever held.
struct ArraySplitter {
    enum Output {
        case element([UInt8])
        case trailingText
    }

    private enum State { case beforeOpen, between, inElement, done, reported }

    private var state = State.beforeOpen
    private(set) var element: [UInt8] = []
    /// Elements handed out so far.
    private(set) var elements = 0
    private var depth = 0
    private var inString = false
    private var escaped = false

    mutating func take(_ byte: UInt8) -> Output? {
        switch state {
        case .beforeOpen:
            if byte == UInt8(ascii: "[") { state = .between }
            return nil
        case .between:
            if isBlank(byte) || byte == UInt8(ascii: ",") { return nil }
            if byte == UInt8(ascii: "]") { state = .done; return nil }
            state = .inElement
            element = [byte]
            depth = byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") ? 1 : 0
            inString = byte == UInt8(ascii: "\"")
            escaped = false
            return nil
        case .inElement:
            if inString {
                element.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return complete() }
                }
                return nil
            }
            if depth == 0 {
                // A bare scalar (number, literal) ends at a blank, ',' or ']'.
                if isBlank(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                    let output = complete()
                    if byte == UInt8(ascii: "]") { state = .done }
                    return output
                }
                element.append(byte)
                return nil
            }
            element.append(byte)
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return complete() }
            default: break
            }
            return nil
        case .done:
            if isBlank(byte) { return nil }
            state = .reported
            return .trailingText
        case .reported:
            return nil
        }
    }

    private mutating func complete() -> Output {
        let bytes = element
        element = []
        elements += 1
        if state == .inElement { state = .between }
        return .element(bytes)
    }
}
