import Foundation
import Load
import Transform

/// Tonight's follow-up list: active customers with no contact for more than N days (or none
/// at all), by sales group. `last_contact_at` moves with every call and form, so it is the
/// customer's latest interaction.
package struct StaleScan: Sendable {
    package var days: Int
    package var activeStatuses: [String]
    /// The time the days are counted back from.
    package var at: Date

    package init(days: Int, activeStatuses: [String], at: Date) {
        self.days = days
        self.activeStatuses = activeStatuses
        self.at = at
    }

    package struct Customer: Sendable, Equatable {
        package var key: CustomerKey
        package var name: String
        package var owner: String
        package var salesGroup: String
        package var status: String
        package var lastContactAt: String
        /// Whole days since the last contact; nil when there was none.
        package var daysSince: Int?
    }

    /// The list's header; in English the column names docs/exports.md promises.
    package static func columns(_ strings: Strings) -> [String] {
        [strings.customerKey]
            + [CanonicalField.name, .owner, .salesGroup, .status, .lastContactAt].map(strings.field) + [strings.daysSince]
    }

    package func run(_ store: any CustomerSource) throws -> [Customer] {
        let active = Set(activeStatuses)
        var list: [Customer] = []
        try store.forEachCustomer { row in
            guard active.isEmpty || active.contains(row[.status] ?? "") else { return }
            let last = row[.lastContactAt] ?? ""
            var daysSince: Int?
            if let date = TimestampParser.instant(ofStored: last) {
                let days = Int(at.timeIntervalSince(date) / 86_400)
                guard days > self.days else { return }
                daysSince = days
            }
            list.append(
                Customer(
                    key: row.key, name: row[.name] ?? "", owner: row[.owner] ?? "",
                    salesGroup: row[.salesGroup] ?? "", status: row[.status] ?? "", lastContactAt: last,
                    daysSince: daysSince))
        }
        // The longest silence first within each group; never contacted before anyone.
        list.sort { a, b in
            let (x, y) = ((a.salesGroup, a.owner, -(a.daysSince ?? .max)), (b.salesGroup, b.owner, -(b.daysSince ?? .max)))
            return x < y || (x == y && a.key < b.key)
        }
        return list
    }

    package static func row(_ customer: Customer) -> [String] {
        [
            customer.key.hex, customer.name, customer.owner, customer.salesGroup, customer.status, customer.lastContactAt,
            customer.daysSince.map(String.init) ?? "",
        ]
    }
}
