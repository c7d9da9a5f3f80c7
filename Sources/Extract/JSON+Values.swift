/// A value of a JSON record, parsed as far as the columns read it.
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
                out += jsonString(key)
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
        case .string(let text): out += jsonString(text)
        case .number(let text): out += text
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        }
    }
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
        guard
            let value = Int(
                String(decoding: bytes[(index + 1)...], as: UTF8.self)
                    .replacingPlus()), value.magnitude <= 400
        else {
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
