import Transform

/// Customers counted by owner, contributing systems and which columns hold a value, in
/// `presence_groups`: every batch keeps the counts up to date as it writes customers, so that
/// completeness reads a few hundred groups instead of scanning every customer, which was a
/// sixth of a nightly run's store thread (figures: docs/performance.md).
struct PresenceGroup: Hashable {
    var owner: String
    var systems: String
    /// `PresenceMask` of the customer's values.
    var mask: Int64

    /// The group of a customer with these values, keyed by `phone` and `taxID`.
    init(phone: String?, taxID: String?, values: [String?], systems: String) {
        owner = values[MasterColumn.owner.rawValue] ?? ""
        self.systems = systems
        mask = PresenceMask.of(phone: phone, taxID: taxID, values: values)
    }
}

/// Which presence columns of a customer hold a value: bit i when column i is non-empty (not
/// NULL and not ''), bit 32 + i when it is not NULL; the two differ only for a stored ''.
enum PresenceMask {
    /// The columns a `PresenceTest` may name.
    static let columns = ["phone_e164", "tax_id"] + MasterColumn.allCases.map(\.name)
    private static let notNullShift = 32

    static func of(phone: String?, taxID: String?, values: [String?]) -> Int64 {
        var mask: Int64 = 0
        func add(_ value: String?, at index: Int) {
            guard let value else { return }
            mask |= 1 << (notNullShift + index)
            if !value.isEmpty { mask |= 1 << index }
        }
        add(phone, at: 0)
        add(taxID, at: 1)
        for (index, value) in values.enumerated() { add(value, at: index + 2) }
        return mask
    }

    /// The bit that holds when a customer passes `test`.
    static func bit(of test: PresenceTest) -> Int64 {
        switch test {
        case .nonEmpty(let column): 1 << index(of: column)
        case .notNull(let column): 1 << (notNullShift + index(of: column))
        }
    }

    private static func index(of column: String) -> Int {
        guard let index = columns.firstIndex(of: column) else { preconditionFailure("no presence column \(column)") }
        return index
    }
}
