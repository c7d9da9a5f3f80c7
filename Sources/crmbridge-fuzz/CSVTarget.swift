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
        var throughLibcsv = options
        throughLibcsv.splitsPlainLines = false
        let split = readOut(path, options)
        let parsed = readOut(path, throughLibcsv)
        require(split == parsed, "plain lines split read differently from libcsv:\n\(split)\n---\n\(parsed)")
    }
}

/// Everything a CSVReader gives for the file, as text: its error, or its columns and each result.
private func readOut(_ path: String, _ options: CSVReader.Options) -> String {
    do {
        let reader = try CSVReader(path: path, options: options)
        var lines = ["\(reader.columns)"]
        while let result = try reader.next() {
            switch result {
            case .record(let record): lines.append("\(record.locator) \(record.values)")
            case .unreadable(let unreadable):
                lines.append("\(unreadable.locator) \(unreadable.refusal) \(unreadable.message) \(unreadable.values)")
            }
        }
        return lines.joined(separator: "\n")
    } catch {
        return "\(error)"
    }
}

/// A record comes after the header row, which is line 1 at the earliest.
private func isRecordLine(_ locator: Locator) -> Bool {
    if case .line(let n) = locator { return n >= 2 }
    return false
}

/// Whether a CR is not followed by LF, read as bytes (UTF-8, GBK) or as UTF-16 units of either
/// byte order: `00 0D 0A 4B` is a lone CR in UTF-16BE though its bytes hold `0D 0A`.
private func hasLoneCR(_ input: UnsafeRawBufferPointer) -> Bool {
    for index in input.indices where input[index] == 0x0D {
        if index + 1 == input.count || input[index + 1] != 0x0A { return true }
    }
    let units = input.count / 2
    for bigEndian in [true, false] {
        func unit(_ n: Int) -> UInt16 {
            let (high, low) = bigEndian ? (input[2 * n], input[2 * n + 1]) : (input[2 * n + 1], input[2 * n])
            return UInt16(high) << 8 | UInt16(low)
        }
        for n in 0..<units where unit(n) == 0x0D {
            if n + 1 == units || unit(n + 1) != 0x0A { return true }
        }
    }
    return false
}
