import Transform

/// How the store tells that a customer has a field: one presence rule on one of
/// `PresenceMask.columns`.
package enum PresenceTest: Sendable, Equatable {
    /// The column holds a non-empty text.
    case nonEmpty(column: String)
    /// The column holds a value (an address is resolved when its district is set).
    case notNull(column: String)
}

/// How many customers pass each presence test, and all of them at once.
package struct PresenceCounts: Sendable, Equatable {
    package var customers = 0
    /// Customers that pass every test.
    package var complete = 0
    /// Per test, in the order asked.
    package var filled: [Int]

    package init(customers: Int = 0, complete: Int = 0, filled: [Int]) {
        self.customers = customers
        self.complete = complete
        self.filled = filled
    }

    mutating func add(_ other: PresenceCounts) {
        customers += other.customers
        complete += other.complete
        filled = zip(filled, other.filled).map(+)
    }
}

/// Presence counts over all customers, and over the customers each source system contributed to.
package struct PresenceReport: Sendable, Equatable {
    package var overall: PresenceCounts
    /// Per source system: the customers it has merged a record into (`customers.systems`).
    package var bySystem: [String: PresenceCounts]
    /// Per owner ("" for customers without one).
    package var byOwner: [String: PresenceCounts]
}

extension PresenceTest {
    /// The same test on a customer read into Swift, for the scans that stream customers.
    package func holds(for row: CustomerRow) -> Bool {
        switch self {
        case .nonEmpty(let column): !(value(of: column, in: row) ?? "").isEmpty
        case .notNull(let column): value(of: column, in: row) != nil
        }
    }

    private func value(of column: String, in row: CustomerRow) -> String? {
        switch column {
        case "phone_e164": row.phoneE164
        case "tax_id": row.taxID
        default: MasterColumn.allCases.first { $0.name == column }.flatMap { row[$0] }
        }
    }
}
