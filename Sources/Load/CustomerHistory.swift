/// The audit trail of one master customer: its creation, then every change of a master field,
/// each with the source record and the batch that made it.
package struct CustomerHistory: Sendable, Codable, Equatable {
    package struct Entry: Sendable, Codable, Equatable {
        package enum Kind: String, Sendable, Codable { case created, changed }

        package var kind: Kind
        /// The batch's UUID (trace id) and load time.
        package var batchID: String
        package var at: String
        package var sourceSystem: String
        package var sourceID: String
        /// `changed` only: the master column, its old and new value.
        package var field: String?
        package var oldValue: String?
        package var newValue: String?
        /// `created` only: the values the customer was created with, by master column.
        package var values: [String: String]?
    }

    /// Lowercase hex, as exports print it.
    package var customerKey: String
    /// The creation first, then the changes in the order they were made.
    package var entries: [Entry]
}
