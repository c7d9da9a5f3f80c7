/// How much of one record the readers hold: guards against a broken or hostile export whose
/// "record" is a whole file (an unterminated quote, a line without line ends), so that memory
/// stays bounded whatever the input. A record over a limit is rejected as `too_large`, its
/// content dropped as it streams past; the file goes on. The pipeline file's `limits:` sets them
/// (README, Limits); the xlsx reader's `XLSXReader.Limits` take the cell and row bounds from here.
package struct ReadLimits: Sendable, Equatable {
    /// The bytes of one cell. Customer fields are short; a note runs to a few kilobytes.
    package var cellBytes = 1 << 20
    /// The bytes of one record (a CSV row, a JSON line or array element, an XML record).
    package var recordBytes = 4 << 20
    /// The cells of one record. Real exports have tens of columns, a few hundred at most.
    package var cellsPerRecord = 10_000
    /// Empty rows after which a file that is mostly empty rows is abandoned: 5 MB of blank lines
    /// would otherwise be five million rejects and a minute of a night's run.
    package var emptyRowsPerFile = 10_000
    /// Elements open at once in an XML file or a worksheet: real ones nest a few levels, and the
    /// cost of a record grows with the square of its depth (30,000 levels took 24 s and 1.1 GB).
    package var nestingDepth = 256

    package init() {}
}

/// Byte counts as the pipeline file and messages write them: `4 MiB`, `512 KiB`, `100 bytes`.
package enum ByteSize {
    private static let units: [(name: String, shift: UInt64)] = [("GiB", 30), ("MiB", 20), ("KiB", 10)]

    /// The largest unit that states `bytes` exactly.
    package static func text(_ bytes: UInt64) -> String {
        for unit in units where bytes >= 1 << unit.shift && bytes & ((1 << unit.shift) - 1) == 0 {
            return "\(bytes >> unit.shift) \(unit.name)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    package static func text(_ bytes: Int) -> String { text(UInt64(max(0, bytes))) }

    /// `4194304`, `4 MiB`, `4MiB`, `512 KiB`, `2 GiB` (also `KB`, `MB`, `GB`, `K`, `M`, `G`, read as
    /// binary units, as operators mean them for memory); nil for anything else or an overflow.
    package static func parse(_ text: String) -> UInt64? {
        let trimmed = text.trimmingBlanks()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = UInt64(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingBlanks().lowercased()
        let shift: UInt64
        switch unit {
        case "", "b", "byte", "bytes": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        default: return nil
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : value
    }
}
