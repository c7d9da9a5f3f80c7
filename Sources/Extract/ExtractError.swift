/// A failure that stops reading a whole file (as opposed to one unreadable record).
package struct ExtractError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        case cannotOpen = "cannot_open"
        case cannotRead = "cannot_read"
        case unknownEncoding = "unknown_encoding"
        case noHeader = "no_header"
        case unsupported
        /// A guard against hostile or broken input stopped the file (see README, Limits).
        case limitExceeded = "limit_exceeded"
    }

    package var code: Code
    package var file: String
    package var message: String

    package init(_ code: Code, file: String, _ message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    package var description: String { "\(file): \(message)" }
}
