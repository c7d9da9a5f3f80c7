import Load
import Transform

/// Share of master customers whose required fields are all present and valid (docs/design.md):
/// the phone a valid number and the tax ID a valid USCC (a master customer's key guarantees
/// both), the address resolved down to the district, every other field non-empty.
package struct Completeness: Sendable, Equatable, Codable {
    /// Customers that a source system contributed to, and how many of them are complete.
    package struct Share: Sendable, Equatable, Codable {
        package var customers: Int
        package var complete: Int
        package var ratio: Double { customers == 0 ? 1 : Double(complete) / Double(customers) }
    }

    package var customers: Int
    package var complete: Int
    /// Per required field: share of customers where it is present and valid.
    package var perField: [String: Double]
    /// Per required field: customers where it is present and valid.
    package var filledByField: [String: Int]
    /// Filled required cells / all required cells.
    package var cellLevel: Double
    /// Per source system: the customers with a merged record from it.
    package var bySystem: [String: Share]
    /// Per owner ("" for customers without one).
    package var byOwner: [String: Share]

    package var overall: Double { customers == 0 ? 1 : Double(complete) / Double(customers) }
    package var filledCells: Int { filledByField.values.reduce(0, +) }

    /// From the presence counts the store keeps per owner and contributing systems, not a scan
    /// of every customer (figures: docs/performance.md).
    package static func measure(
        _ store: any CustomerSource, required: [CanonicalField], bySystem: Bool = true,
        byOwner: Bool = true
    ) throws -> Completeness {
        let report = try store.presence(required.map(presence), bySystem: bySystem, byOwner: byOwner)
        let counts = report.overall
        let customers = counts.customers
        let total = customers * required.count
        return Completeness(
            customers: customers, complete: counts.complete,
            perField: Dictionary(
                uniqueKeysWithValues: zip(
                    required.map(\.rawValue),
                    counts.filled.map {
                        customers == 0 ? 1 : Double($0) / Double(customers)
                    })),
            filledByField: Dictionary(uniqueKeysWithValues: zip(required.map(\.rawValue), counts.filled)),
            cellLevel: total == 0 ? 1 : Double(counts.filled.reduce(0, +)) / Double(total),
            bySystem: report.bySystem.mapValues { Share(customers: $0.customers, complete: $0.complete) },
            byOwner: report.byOwner.mapValues { Share(customers: $0.customers, complete: $0.complete) })
    }

    /// Whether a customer has `field` present and valid, as the store tests it.
    static func presence(of field: CanonicalField) -> PresenceTest {
        switch field {
        case .phone: return .nonEmpty(column: "phone_e164")
        case .taxID: return .nonEmpty(column: "tax_id")
        case .address: return .notNull(column: MasterColumn.district.name)
        default:
            // Every other canonical field has exactly one master column (its first, for name).
            let column = MasterColumn.allCases.first { $0.field == field }!
            return .nonEmpty(column: column.name)
        }
    }
}
