/// JSON's white space (RFC 8259): between tokens, and what a blank line or element holds.
func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

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
    mutating func parseObject(
        into members: inout [(String, JSONValue)], depth: Int = 0,
        keeping: JSONKeys? = nil
    ) throws(JSONSyntaxError) {
        guard depth < 512 else { throw JSONSyntaxError(message: "nesting deeper than 512 levels") }
        position += 1  // {
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
        position += 1  // "
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
            bytes[position..<(position + expected.count)].elementsEqual(expected)
        else {
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
        position += 1  // "
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
                        position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
                    {
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
                throw JSONSyntaxError(
                    message: "a control character (0x\(String(byte, radix: 16))) inside a string at byte \(position)")
            default:
                out.append(byte)
            }
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
        else {
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
