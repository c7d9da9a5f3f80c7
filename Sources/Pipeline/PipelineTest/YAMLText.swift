import Foundation

/// YAML as `--update` writes it: flow mappings on one line, scalars plain where YAML reads them
/// back as the same text, double-quoted otherwise.
enum YAMLText {
    static func scalar(_ text: String) -> String {
        plain(text) ? text : quoted(text)
    }

    /// Plain unless the text holds flow or comment syntax, starts with an indicator, or would
    /// read as a number, a boolean or null to a YAML tool (the values are text).
    private static func plain(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " " else { return false }
        // A leading digit is quoted too: times and codes (`2026-11-21T…`) read as the text they are.
        if "-?:,[]{}#&*!|>'\"%@`+.~".contains(first) || first.isNumber { return false }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return false }
        if text.contains(where: { ",[]{}\"\\".contains($0) || $0.isNewline || ($0.asciiValue ?? 32) < 32 }) { return false }
        if Double(text) != nil || text.allSatisfy({ $0.isNumber || $0 == "-" || $0 == ":" || $0 == "." }) { return false }
        return !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for char in text.unicodeScalars {
            switch char {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where char.value < 32: out += String(format: "\\x%02X", char.value)
            default: out.unicodeScalars.append(char)
            }
        }
        return out + "\""
    }

    /// `{key: value, …}` with each key and value a scalar.
    static func flow(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(scalar($0.0)): \(scalar($0.1))" }.joined(separator: ", ") + "}"
    }
}
