import Extract

extension FuzzTarget {
    /// The `Content#…` labelled-line columns (`LabelledPath`, internal to Extract), reached
    /// through JSONReader: the input is the text of a form message, written as a JSON string into
    /// a JSON Lines file three times: as it is, after a line `手机：13800138000`, and before one.
    ///
    /// Beyond the reader's own invariants: the text comes back exactly as written (JSON string
    /// escapes, surrogate pairs); a labelled line put first is the one found; a line put last
    /// changes nothing when the text already had a value for the label.
    static let labelled = FuzzTarget(name: "labelled", summary: "Content#… labelled lines, through JSONReader") { input in
        let text = text(input)
        let known = "13800138000"
        let texts = [text, "手机：\(known)\n" + text, text + "\n手机：\(known)"]
        var file = ""
        for text in texts { file += "{\"Content\":\"\(jsonEscaped(text))\"}\n" }
        let path = ScratchFile.write(Array(file.utf8))
        let columns = ["Content", "Content#手机|电话", "Content#姓名", "Content#：|:"]
        var values: [[String]] = []
        drain(
            { () throws(ExtractError) in try JSONReader(path: path, columns: columns, encoding: nil) },
            order: .increasing, maxResults: 3
        ) { record, _ in
            values.append(record.values)
            for index in 1..<columns.count {
                checkLabelled(record.values[index], in: record.values[0], at: record.locator)
            }
        }
        require(values.count == 3, "\(values.count) records from a file of three JSON lines")
        for (record, written) in zip(values, texts) {
            require(record[0] == written, "the text \(shown(written)) read back as \(shown(record[0]))")
        }
        require(values[1][1] == known, "a first line `手机：\(known)` read as \(shown(values[1][1]))")
        if !values[0][1].isEmpty {
            require(
                values[2][1] == values[0][1], "a line added at the end changed \(shown(values[0][1])) to \(shown(values[2][1]))")
        } else {
            require(values[2][1].isEmpty || values[2][1] == known, "a line added at the end read as \(shown(values[2][1]))")
        }
    }
}

/// `text` as the inside of a JSON string, in ASCII only: every other scalar as `\uXXXX` (a
/// surrogate pair above the BMP), so that the file's encoding is never in doubt.
func jsonEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count * 2)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case " "..."~": out.unicodeScalars.append(scalar)
        default:
            for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
        }
    }
    return out
}

private func hex4(_ unit: UInt16) -> String {
    let digits = String(unit, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}
