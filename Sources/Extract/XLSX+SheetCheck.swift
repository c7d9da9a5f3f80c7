import Foundation

extension XLSXPackage {
    /// Reads a worksheet part to its end before any of its rows goes out: inflated, checked
    /// against its CRC-32 and size, and held to the size, ratio and row limits, but not parsed.
    /// Without it the rows parsed before a CRC failure or a limit went out, and were loaded; now
    /// such a sheet fails its file with nothing of it read.
    ///
    /// The price is a second inflate of the sheet, on a thread of its own while this one counts
    /// the rows: `make bench-xlsx` (a 650 MB sheet of 1,000,000 rows) went from 7.2 s to 8.4 s.
    func checkSheet(_ partPath: String) throws(ExtractError) {
        let entry = try requiredEntry(partPath)
        let inflater = XLSXInflater(self, entry, maxSize: limits.maxEntrySize)
        let withinRowLimit = Self.rowTags(in: inflater, atMost: limits.maxRows)
        let outcome = inflater.close()
        try checkInflated(outcome, partPath, streamed: true)
        guard withinRowLimit else {
            throw ExtractError(
                .unsupported, file: path,
                """
                \(partPath) holds more than \(limits.maxRows) rows: split the sheet, or raise the limit \
                (\(XLSXReader.Limits.named("maxRows")))
                """)
        }
        try checkIntegrity(outcome, of: entry, partPath)
    }

    /// Reads `input` to its end counting the start tags of rows (`<row …>`, `<x:row …>`), without
    /// parsing: at least as many as the scanner will find (one in a comment counts too). False
    /// as soon as there are more than `limit`.
    private static func rowTags(in input: XLSXInflater, atMost limit: Int) -> Bool {
        // One read, and before it the last bytes of the one before: a tag may be split between them.
        let context = 64
        // Room for the inflater's largest chunk, smaller for a small part: a read takes a whole chunk.
        let capacity = context + min(1 << 16, input.sizeHint + 1)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var rows = 0
        var end = 0
        // The next byte to look at as the `w` of a `row`; the byte after a `w` must have been read.
        var next = 0
        while true {
            let count = input.read(into: buffer + end, count: capacity - end)
            if count == 0 { return true }
            end += count
            // `w` is rare in a sheet but for the row tags: memchr passes over the rest.
            while next < end - 1, let found = memchr(buffer + next, 0x77, end - 1 - next) {
                let w = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if isRowTag(buffer, endingAt: w) {
                    rows += 1
                    if rows > limit { return false }
                }
                next = w + 1
            }
            next = max(next, end - 1)
            let keep = min(end, context)
            buffer.update(from: buffer + end - keep, count: keep)
            next -= end - keep
            end = keep
        }
    }

    /// Whether the `w` at `index` ends a start tag's name `row` or `PREFIX:row`: a blank, `>` or
    /// `/` after it, as the scanner ends names, and `<` before the name.
    private static func isRowTag(_ buffer: UnsafeMutablePointer<UInt8>, endingAt index: Int) -> Bool {
        guard index >= 3, buffer[index - 1] == 0x6F, buffer[index - 2] == 0x72 else { return false }  // ro
        switch buffer[index + 1] {
        case 0x20, 0x09, 0x0A, 0x0D, 0x3E, 0x2F: break
        default: return false
        }
        var before = index - 3
        if buffer[before] == 0x3C { return true }  // <row
        guard buffer[before] == 0x3A else { return false }  // PREFIX:row
        while before > 0 {
            before -= 1
            switch buffer[before] {
            case 0x3C: return true
            case 0x20, 0x09, 0x0A, 0x0D, 0x3E, 0x2F, 0x3D, 0x22, 0x27, 0x26: return false
            default: continue
            }
        }
        // A prefix longer than the context: counted, the count being a bound from above.
        return true
    }
}
