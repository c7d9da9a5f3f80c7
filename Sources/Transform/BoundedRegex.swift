import CICU
import Foundation

/// A regular expression of the pipeline file (ICU syntax, as NSRegularExpression's) whose every
/// search is bounded: a pattern that backtracks without end, `(a+)+$` on a long cell, stops at
/// `stepLimit` instead of hanging the night's run.
///
/// ```swift
/// let regex = try BoundedRegex("^合计").get()
/// try regex.firstMatch(in: "合计 1,024")   // true
/// ```
package final class BoundedRegex {
    /// ICU's match steps a search may take (each typically a few milliseconds of work).
    package static let defaultStepLimit: Int32 = 200

    package let pattern: String
    private let regex: OpaquePointer
    /// What a match must start the text with, when the pattern says so plainly (`^合计`,
    /// `^(合计|总计)`): most cells are told apart by their first bytes, without ICU.
    private let prefixes: [[UInt8]]?

    /// The step limit was reached: the pattern, not the row, is at fault.
    package struct Timeout: Error, Sendable {
        package var pattern: String
    }

    /// Compiles `pattern`, or says why it is not a valid ICU regular expression.
    package static func compile(_ pattern: String, stepLimit: Int32 = defaultStepLimit) -> Result<
        BoundedRegex, RowRules.RuleError
    > {
        var error = [CChar](repeating: 0, count: 160)
        let compiled = pattern.utf8CString.withUnsafeBufferPointer { text in
            cb_regex_open(text.baseAddress, text.count - 1, stepLimit, &error, error.count)
        }
        guard let compiled else {
            // "U_REGEX_MISMATCHED_PAREN at offset 3" reads "mismatched paren at offset 3".
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .replacingOccurrences(of: "U_REGEX_", with: "").replacingOccurrences(of: "_", with: " ").lowercased()
            return .failure(RowRules.RuleError(message: "'\(pattern)' is not a valid regular expression (ICU syntax: \(reason))"))
        }
        return .success(BoundedRegex(pattern: pattern, regex: compiled))
    }

    private init(pattern: String, regex: OpaquePointer) {
        self.pattern = pattern
        self.regex = regex
        prefixes = Self.anchoredPrefixes(pattern)
    }

    deinit { cb_regex_close(regex) }

    /// Whether the pattern matches somewhere in `text`.
    package func firstMatch(in text: String) throws(Timeout) -> Bool {
        if let prefixes, !prefixes.contains(where: { text.utf8.starts(with: $0) }) { return false }
        var text = text
        let found = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cb_regex_find(regex, $0.baseAddress, $0.count) }
        }
        switch found {
        case 1: return true
        case 0: return false
        default: throw Timeout(pattern: pattern)
        }
    }

    /// The literal starts a match of `pattern` must begin with: `^` then literal characters, or
    /// `^` then a group of literal alternatives. Nil for anything else (an alternation outside
    /// the group, a flag, a class, an escape): those go to ICU whole. Read by scalar, as ICU
    /// reads a pattern (a combining mark after `.` must not make it literal).
    static func anchoredPrefixes(_ pattern: String) -> [[UInt8]]? {
        let special = Set("\\^$.|?*+()[]{}#".unicodeScalars)
        let quantifiers = Set("?*+{".unicodeScalars)
        let scalars = Array(pattern.unicodeScalars)
        guard scalars.first == "^" else { return nil }
        let rest = scalars.dropFirst()
        func utf8(_ literal: some Sequence<Unicode.Scalar>) -> [UInt8] {
            Array(String(String.UnicodeScalarView(literal)).utf8)
        }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            let alternatives = rest[(rest.startIndex + 1)..<close].split(separator: "|", omittingEmptySubsequences: false)
            let after = rest[(close + 1)...]
            guard !alternatives.contains(where: { $0.isEmpty || $0.contains(where: special.contains) }),
                after.first.map(quantifiers.contains) != true, !after.contains("|")
            else { return nil }
            return alternatives.map(utf8)
        }
        guard !rest.contains("|") else { return nil }
        var literal = rest.prefix { !special.contains($0) }
        // A quantifier makes the character before it optional.
        if literal.endIndex < rest.endIndex, quantifiers.contains(rest[literal.endIndex]) { literal = literal.dropLast() }
        return literal.isEmpty ? nil : [utf8(literal)]
    }
}
