extension Unicode.Scalar {
    /// Blank: ASCII and full-width spaces, no-break space, tabs, line ends and a stray BOM.
    public var isBlank: Bool {
        switch value {
        case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0xFEFF: true
        default: false
        }
    }
}

extension StringProtocol {
    /// Empty or only blanks.
    public var isBlank: Bool { unicodeScalars.allSatisfy(\.isBlank) }

    /// Without surrounding blanks.
    public func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isBlank }),
              let last = scalars.lastIndex(where: { !$0.isBlank }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
