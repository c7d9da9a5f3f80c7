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
