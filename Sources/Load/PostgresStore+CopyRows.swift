/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`: tab-separated, `\N` for NULL,
/// backslash escapes for the four bytes the format reserves. Built on the store thread and sent in
/// one `PostgresConnection.copy`: a chunk costs one round trip, not one per row.
struct CopyRows {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    private var atRowStart = true

    var isEmpty: Bool { count == 0 }

    mutating func add(_ value: String?) {
        separate()
        guard var value else {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(UInt8(ascii: "N"))
            return
        }
        value.withUTF8 { append($0) }
    }

    mutating func add(_ value: Int64?) { add(value.map { String($0) }) }

    /// UTF-8 bytes as text.
    mutating func add(utf8 value: [UInt8]) {
        separate()
        value.withUnsafeBufferPointer { append($0) }
    }

    /// Bytes as `bytea` (hex form, its backslash escaped for COPY).
    mutating func add(bytea value: [UInt8]?) {
        guard let value else { add(nil as String?); return }
        separate()
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        for byte in value {
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 15)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        count += 1
        atRowStart = true
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
        atRowStart = true
    }

    private mutating func separate() {
        if !atRowStart { bytes.append(UInt8(ascii: "\t")) }
        atRowStart = false
    }

    /// `text` with the reserved bytes escaped; the runs between them copied whole.
    private mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<text.count {
            let escaped: UInt8
            switch text[index] {
            case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
            case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
            case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<index]))
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(escaped)
            start = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...]))
    }
}

/// `values` as a PostgreSQL array literal of text (`{"a","b"}`), for `= ANY($1::text[])` and
/// `unnest`: one parameter carries a whole chunk's keys.
func arrayLiteral(_ values: some Sequence<String>) -> String {
    var text = "{"
    var first = true
    for value in values {
        if !first { text.append(",") }
        first = false
        text.append("\"")
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" { text.append("\\") }
            text.unicodeScalars.append(character)
        }
        text.append("\"")
    }
    return text + "}"
}
