/// The audit trail of one master customer: its creation, then every change of a master field,
/// each with the source record and the batch that made it.
public struct CustomerHistory: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable { case created, changed }

        public var kind: Kind
        /// The batch's UUID (trace id) and load time.
        public var batchID: String
        public var at: String
        public var sourceSystem: String
        public var sourceID: String
        /// `changed` only: the master column, its old and new value.
        public var field: String?
        public var oldValue: String?
        public var newValue: String?
        /// `created` only: the values the customer was created with, by master column.
        public var values: [String: String]?
    }

    /// Lowercase hex, as exports print it.
    public var customerKey: String
    /// The creation first, then the changes in the order they were made.
    public var entries: [Entry]
}
