import Extract

extension FuzzTarget {
    /// The paths the JSON target reads: a top-level key, dotted keys, array indexes, labelled
    /// lines, and a key that is the text the labelled column reads.
    static let jsonColumns = [
        "id", "mobile", "answers[0].value", "Content", "Content#手机|电话", "a.b[2].c",
        "data[1][0]", "submittedAt",
    ]

    /// JSONReader on the input as a whole file (JSON Lines or an array, as its first byte says),
    /// with encoding detection and again with an encoding chosen by the input's length.
    static let json = FuzzTarget(name: "json", summary: "JSONReader (JSON Lines and arrays, paths, numbers, escapes)") { input in
        let path = ScratchFile.write(input)
        let columns = jsonColumns
        let content = columns.firstIndex(of: "Content")!
        let labelled = columns.firstIndex(of: "Content#手机|电话")!
        let encodings: [TextEncoding?] = [nil, TextEncoding.allCases[input.count % TextEncoding.allCases.count]]
        for encoding in encodings {
            drain(
                { () throws(ExtractError) in try JSONReader(path: path, columns: columns, encoding: encoding) },
                order: .increasing, maxResults: input.count + 1
            ) { record, _ in
                checkLabelled(record.values[labelled], in: record.values[content], at: record.locator)
            }
        }
    }
}

/// A labelled column's value is one line's value, from the text its base path holds: trimmed,
/// without line ends, and a run of that text's bytes.
func checkLabelled(_ value: String, in text: String, at locator: Locator) {
    guard !value.isEmpty else { return }
    require(
        !value.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" },
        "\(locator): the labelled value \(shown(value)) holds a line end")
    require(value.trimmingBlanks() == value, "\(locator): the labelled value \(shown(value)) is not trimmed")
    require(containsBytes(text, value), "\(locator): the labelled value \(shown(value)) is not in its text \(shown(text))")
}
