import Load
import Transform

/// Share of master customers whose required fields are all present and valid (DESIGN.md):
/// the phone a valid number and the tax ID a valid USCC (a master customer's key guarantees
/// both), the address resolved down to the district, every other field non-empty.
public struct Completeness: Sendable, Equatable, Codable {
    public var customers: Int
    public var complete: Int
    /// Per required field: share of customers where it is present and valid.
    public var perField: [String: Double]
    /// Filled required cells / all required cells.
    public var cellLevel: Double

    public var overall: Double { customers == 0 ? 1 : Double(complete) / Double(customers) }

    public static func measure(_ store: any CustomerSource, required: [CanonicalField]) throws -> Completeness {
        let checks = required.map(presence)
        var filled = [Int](repeating: 0, count: required.count)
        var customers = 0
        var complete = 0
        try store.forEachCustomer { row in
            customers += 1
            var all = true
            for (index, isPresent) in checks.enumerated() {
                if isPresent(row) { filled[index] += 1 } else { all = false }
            }
            if all { complete += 1 }
        }
        let cells = filled.reduce(0, +)
        let total = customers * required.count
        return Completeness(
            customers: customers, complete: complete,
            perField: Dictionary(uniqueKeysWithValues: zip(required.map(\.rawValue), filled.map {
                customers == 0 ? 1 : Double($0) / Double(customers)
            })),
            cellLevel: total == 0 ? 1 : Double(cells) / Double(total))
    }

    /// Whether a customer has `field` present and valid, decided once per field, not per row.
    static func presence(of field: CanonicalField) -> @Sendable (CustomerRow) -> Bool {
        switch field {
        case .phone: return { !$0.phoneE164.isEmpty }
        case .taxID: return { !$0.taxID.isEmpty }
        case .address: return { $0[.district] != nil }
        default:
            guard let column = MasterColumn.allCases.first(where: { $0.field == field }) else { return { _ in false } }
            return { $0[column].map { !$0.isEmpty } ?? false }
        }
    }
}
