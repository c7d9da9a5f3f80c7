/// A failure that stops reading a whole file (as opposed to one unreadable record).
public struct ExtractError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotOpen = "cannot_open"
        case cannotRead = "cannot_read"
        case unknownEncoding = "unknown_encoding"
        case noHeader = "no_header"
        case unsupported
        /// A guard against hostile or broken input stopped the file (see README, Limits).
        case limitExceeded = "limit_exceeded"
    }

    public var code: Code
    public var file: String
    public var message: String

    public init(_ code: Code, file: String, _ message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
