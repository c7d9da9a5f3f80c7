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
    }

    deinit { cb_regex_close(regex) }

    /// Whether the pattern matches somewhere in `text`.
    package func firstMatch(in text: String) throws(Timeout) -> Bool {
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
}
