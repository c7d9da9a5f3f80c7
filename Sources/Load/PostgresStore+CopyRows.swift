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
        guard let value else { bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")]); return }
        append(value.utf8)
    }

    mutating func add(_ value: Int64?) { add(value.map { String($0) }) }

    /// UTF-8 bytes as text.
    mutating func add(utf8 value: [UInt8]) {
        separate()
        append(value)
    }

    /// Bytes as `bytea` (hex form, its backslash escaped for COPY).
    mutating func add(bytea value: [UInt8]?) {
        guard let value else { add(nil as String?); return }
        separate()
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(contentsOf: byteaText(value).utf8)
    }

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

    private mutating func append(_ text: some Sequence<UInt8>) {
        for byte in text {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default: bytes.append(byte)
            }
        }
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
