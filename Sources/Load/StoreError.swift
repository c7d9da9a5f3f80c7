/// Why the master store could not do what a run asked. Messages say what to do.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        /// Another run holds the store's write lock.
        case busy
        /// The URL names a store this build cannot open.
        case unsupported
        /// The store file cannot be opened or is not a crmbridge store.
        case cannotOpen = "cannot_open"
        /// The store failed during the batch; the batch was rolled back.
        case failed
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
