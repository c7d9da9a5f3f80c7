/// The text encodings a source file may have. `detect` picks one from the first bytes.
package enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    /// What Excel on Chinese Windows writes; a superset of GBK and GB2312.
    case gb18030
    /// Windows code page 936. Unlike GB18030 it reads byte 0x80 as €.
    case gbk
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"

    /// Accepts the names people write in pipeline files: `UTF8`, `gb2312`, `cp936`, `utf16` …
    package init?(name: String) {
        let folded = String(name.lowercased().map { $0 == "_" ? "-" : $0 })
        switch folded {
        case "utf-8", "utf8", "utf-8-sig": self = .utf8
        case "gb18030", "gb-18030", "gb2312", "gb-2312", "euc-cn": self = .gb18030
        case "gbk", "cp936", "windows-936", "ms936": self = .gbk
        case "utf-16le", "utf16le", "utf-16", "utf16", "ucs-2": self = .utf16le
        case "utf-16be", "utf16be": self = .utf16be
        default: return nil
        }
    }

    /// The converter name ICU knows it by.
    var icuName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .gbk: "GBK"
        case .utf16le: "UTF-16LE"
        case .utf16be: "UTF-16BE"
        }
    }

    /// The byte order mark this encoding may start with.
    var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: [0xEF, 0xBB, 0xBF]
        case .utf16le: [0xFF, 0xFE]
        case .utf16be: [0xFE, 0xFF]
        case .gb18030, .gbk: []
        }
    }

    /// Detects the encoding of a file from its first bytes: a byte order mark wins; otherwise
    /// text that reads as UTF-8 is UTF-8, and anything else is taken as GB18030, the encoding
    /// Chinese spreadsheet tools write. "Reads as UTF-8" allows a few broken sequences among
    /// many good ones: one bad byte in a UTF-8 export is a bad row, not a GB18030 file (GB18030
    /// text read as UTF-8 breaks about as often as it holds).
    package static func detect(_ sample: some Collection<UInt8>) -> TextEncoding {
        let head = Array(sample.prefix(3))
        for candidate in [TextEncoding.utf8, .utf16le, .utf16be]
        where head.starts(with: candidate.byteOrderMark) {
            return candidate
        }
        let (valid, invalid) = utf8Sequences(sample)
        return invalid == 0 || valid >= 16 * invalid ? .utf8 : .gb18030
    }

    /// Well-formed and broken multi-byte UTF-8 sequences in the bytes; a sequence the sample
    /// cuts off at its end counts as neither.
    static func utf8Sequences(_ bytes: some Collection<UInt8>) -> (valid: Int, invalid: Int) {
        var valid = 0
        var invalid = 0
        var expected = 0
        for byte in bytes {
            if expected > 0 {
                if byte & 0xC0 == 0x80 {
                    expected -= 1
                    if expected == 0 { valid += 1 }
                    continue
                }
                invalid += 1
                expected = 0
            }
            switch byte {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: expected = 1
            case 0xE0...0xEF: expected = 2
            case 0xF0...0xF4: expected = 3
            default: invalid += 1
            }
        }
        return (valid, invalid)
    }
}
