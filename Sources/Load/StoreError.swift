/// Why the master store could not do what a run asked. Messages say what to do.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Another run holds the store's write lock.
        case busy
        /// The URL names a store this build cannot open.
        case unsupported
        /// The store file cannot be opened or is not a crmbridge store.
        case cannotOpen = "cannot_open"
        /// SQLite failed during the batch; the batch was rolled back.
        case failed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
