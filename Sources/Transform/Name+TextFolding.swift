import Foundation

/// NFKC folding for the name and address normalizers, without Foundation on the common path.
///
/// Names and addresses are almost always ASCII, CJK ideographs, full-width forms and the
/// ideographic space. Those are folded here by hand (NFKC leaves ASCII and unified ideographs as
/// they are, maps U+FF01–FF5E onto ASCII and U+3000 onto a space); any other scalar that NFKC
/// might change sends the whole string through Foundation's NFKC once, which is ~20 times slower.
enum TextFolding {
    /// The scalars of `text` after NFKC, with every kind of blank turned into U+0020 and invisible
    /// format characters (zero-width space, BOM, joiners) dropped.
    static func fold(_ text: some StringProtocol) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                out.append(value == 0x09 || value == 0x0A || value == 0x0D ? " " : scalar)
            } else if isUnifiedIdeograph(value) {
                out.append(scalar)
            } else if value >= 0xFF01 && value <= 0xFF5E {
                out.append(Unicode.Scalar(value - 0xFEE0)!)
            } else if value == 0x3000 || value == 0xA0 {
                out.append(" ")
            } else if isStable(value) {
                out.append(scalar)
            } else {
                return foldSlowly(String(text))
            }
        }
        return out
    }

    private static func foldSlowly(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                out.append(" ")
            } else if scalar.properties.isDefaultIgnorableCodePoint {
                continue
            } else {
                out.append(scalar)
            }
        }
        return out
    }

    /// Scalars NFKC keeps as they are and that are not blanks or invisible: CJK punctuation,
    /// brackets and the middle dots used in transliterated names.
    @inline(__always)
    private static func isStable(_ value: UInt32) -> Bool {
        switch value {
        case 0x00B7, 0x2022, 0x2027, 0x2014, 0x2013, 0x2018, 0x2019, 0x201C, 0x201D: true
        case 0x3001...0x3003, 0x3008...0x3011, 0x3014...0x301F: true
        case 0x30FB: true
        case 0x20000...0x2A6DF, 0x2A700...0x2EBEF, 0x30000...0x323AF: true
        default: false
        }
    }

    /// CJK Unified Ideographs (URO and Extension A), which NFKC never changes.
    @inline(__always)
    static func isUnifiedIdeograph(_ value: UInt32) -> Bool {
        (value >= 0x4E00 && value <= 0x9FFF) || (value >= 0x3400 && value <= 0x4DBF)
    }

    /// Any Han character, including the supplementary extensions and 〇.
    @inline(__always)
    static func isHan(_ value: UInt32) -> Bool {
        isUnifiedIdeograph(value) || value == 0x3007 || (value >= 0xF900 && value <= 0xFAFF)
            || (value >= 0x20000 && value <= 0x323AF)
    }

    @inline(__always)
    static func isASCIILetter(_ value: UInt32) -> Bool {
        (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A
    }

    /// A string of scalars, encoded straight into the string's storage (appending to a
    /// `String.UnicodeScalarView` is several times slower).
    static func string(_ scalars: some Collection<Unicode.Scalar>) -> String {
        String(unsafeUninitializedCapacity: max(1, scalars.count * 4)) { out in
            var written = 0
            for scalar in scalars {
                for byte in UTF8.encode(scalar)! {
                    out[written] = byte
                    written += 1
                }
            }
            return written
        }
    }

    @inline(__always)
    static func isASCIIDigit(_ value: UInt32) -> Bool {
        value >= 0x30 && value <= 0x39
    }
}
