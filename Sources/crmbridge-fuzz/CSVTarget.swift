import Extract

extension FuzzTarget {
    /// CSVReader on the input as a whole file: once as `encoding: auto, delimiter: auto`, once
    /// with an encoding and a delimiter chosen by the input's length (every encoding, also those
    /// detection never picks: GBK, UTF-16 without a byte order mark).
    static let csv = FuzzTarget(name: "csv", summary: "CSVReader (encodings, delimiters, quoting, limits)") { input in
        let path = ScratchFile.write(input)
        // Every record ends at a line end or at the end of the file: one byte each at least, and
        // the header before them. UTF-16 takes two bytes a character.
        let maxResults = input.count + 1
        // Only LF and CRLF end a line (CSVReader's doc): with classic Mac line ends (a lone CR)
        // the records share the header's line.
        let lonePlainCR = hasLoneCR(input)
        drain({ () throws(ExtractError) in try CSVReader(path: path) }, order: .nondecreasingLines, maxResults: maxResults) {
            record, _ in
            require(lonePlainCR || isRecordLine(record.locator), "\(record.locator): a record on the header's line")
        }
        let encodings = TextEncoding.allCases
        let delimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
        let options = CSVReader.Options(
            encoding: encodings[input.count % encodings.count],
            delimiter: delimiters[input.count / encodings.count % delimiters.count],
            headerRow: 1 + input.count % 3)
        drain(
            { () throws(ExtractError) in try CSVReader(path: path, options: options) },
            order: .nondecreasingLines, maxResults: maxResults)
    }
}

/// A record comes after the header row, which is line 1 at the earliest.
private func isRecordLine(_ locator: Locator) -> Bool {
    if case .line(let n) = locator { return n >= 2 }
    return false
}

/// Whether a CR byte is not followed by LF (UTF-16 files included: any 0x0D will do).
private func hasLoneCR(_ input: UnsafeRawBufferPointer) -> Bool {
    for index in input.indices where input[index] == 0x0D {
        if index + 1 == input.count || input[index + 1] != 0x0A { return true }
    }
    return false
}
