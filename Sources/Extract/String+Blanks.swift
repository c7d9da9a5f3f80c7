extension Unicode.Scalar {
    /// Blank: ASCII and full-width spaces, no-break space, tabs, line ends and a stray BOM.
    package var isBlank: Bool {
        switch value {
        case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0xFEFF: true
        default: false
        }
    }
}

extension String {
    /// Empty or only blanks. Most cells start with a visible character: told from the first
    /// byte, without the scalar walk (the normalizer asks this of every mapped cell).
    package var isBlank: Bool {
        if let first = utf8.first, first > 0x20, first != 0xC2, first != 0xE3, first != 0xEF { return false }
        return unicodeScalars.allSatisfy(\.isBlank)
    }

    /// Without surrounding blanks: as `StringProtocol`'s, without its generic dispatch, which
    /// looked its witnesses up for every cell when called from another module.
    package func trimmingBlanks() -> String {
        if !Self.mayStartBlank(utf8), !Self.mayEndBlank(utf8) { return self }
        return self[...].trimmingBlanks()
    }
}

extension StringProtocol {
    /// Empty or only blanks.
    package var isBlank: Bool { unicodeScalars.allSatisfy(\.isBlank) }

    /// Without surrounding blanks.
    package func trimmingBlanks() -> String {
        // Most cells start and end with a visible character: no scalar walk needed.
        if !Self.mayStartBlank(utf8), !Self.mayEndBlank(String(self).utf8) { return String(self) }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.isBlank }),
            let end = scalars.lastIndex(where: { !$0.isBlank })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }

    fileprivate static func mayStartBlank(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first else { return true }
        return first <= 0x20 || first == 0xC2 || first == 0xE3 || first == 0xEF
    }

    /// Whether the text ends in a blank: ASCII ≤ 0x20, or the last bytes of U+00A0 (C2 A0),
    /// U+3000 (E3 80 80) or U+FEFF (EF BB BF).
    fileprivate static func mayEndBlank(_ utf8: some BidirectionalCollection<UInt8>) -> Bool {
        guard let last = utf8.last else { return true }
        if last < 0x80 { return last <= 0x20 }
        return last == 0xA0 || last == 0x80 || last == 0xBF
    }
}
