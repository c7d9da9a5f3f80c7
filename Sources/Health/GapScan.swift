import Foundation
import Load
import Transform

/// The monthly data-gap scan: active customers missing fields sales must keep up to date
/// (`last_contact_at`, `next_followup_plan`), grouped by sales group and owner.
package struct GapScan: Sendable {
    package var fields: [CanonicalField]
    /// Statuses that make a customer active; empty: every customer.
    package var activeStatuses: [String]

    package static let defaultFields: [CanonicalField] = [.lastContactAt, .nextFollowupPlan]

    package init(fields: [CanonicalField] = defaultFields, activeStatuses: [String] = []) {
        self.fields = fields
        self.activeStatuses = activeStatuses
    }

    /// One customer on the list.
    package struct Gap: Sendable, Equatable {
        package var key: CustomerKey
        package var name: String
        package var owner: String
        package var salesGroup: String
        package var status: String
        package var missing: [CanonicalField]
        /// The value of each scanned field ("" where missing), in the scan's field order.
        package var values: [String]
    }

    /// What became of the previous scan's list.
    package struct FollowUp: Sendable, Equatable {
        package var previousScanAt: String
        package var listed: Int
        /// Customers of the last list whose missing fields are all filled now.
        package var closed: Int
        /// Of those, the ones filled within 48 hours of the last scan.
        package var closedWithin48h: Int
    }

    package struct Result: Sendable {
        package var gaps: [Gap]
        package var activeCustomers: Int
        package var followUp: FollowUp?
    }

    /// Scans the store: one pass over the customers. `previous` is the last remembered scan.
    package func run(
        _ store: any CustomerSource, previous: RememberedScan?,
        filledAt: ((CustomerKey, [String]) throws -> String?)? = nil
    ) throws -> Result {
        let checks = fields.map { ($0, Completeness.presence(of: $0).holds(for:)) }
        let active = Set(activeStatuses)
        var gaps: [Gap] = []
        var activeCustomers = 0
        var closedKeys: [(CustomerKey, [String])] = []
        try store.forEachCustomer { row in
            if let listed = previous?.items[row.key] {
                let stillMissing = listed.contains { name in
                    guard let field = CanonicalField(rawValue: name) else { return false }
                    return !Completeness.presence(of: field).holds(for: row)
                }
                if !stillMissing { closedKeys.append((row.key, listed)) }
            }
            guard active.isEmpty || active.contains(row[.status] ?? "") else { return }
            activeCustomers += 1
            let missing = checks.filter { !$0.1(row) }.map(\.0)
            guard !missing.isEmpty else { return }
            let values = fields.map { missing.contains($0) ? "" : Self.display($0, of: row) }
            gaps.append(
                Gap(
                    key: row.key, name: row[.name] ?? "", owner: row[.owner] ?? "",
                    salesGroup: row[.salesGroup] ?? "", status: row[.status] ?? "", missing: missing, values: values))
        }
        gaps.sort {
            ($0.salesGroup, $0.owner, $0.name) < ($1.salesGroup, $1.owner, $1.name)
                || (($0.salesGroup, $0.owner, $0.name) == ($1.salesGroup, $1.owner, $1.name) && $0.key < $1.key)
        }
        var followUp: FollowUp?
        if let previous {
            var within = 0
            let deadline = TimestampParser.instant(ofStored: previous.scannedAt).map { $0.addingTimeInterval(48 * 3600) }
            for (key, listed) in closedKeys {
                let columns = listed.compactMap(CanonicalField.init(rawValue:)).flatMap(Self.columns)
                if let filled = try filledAt?(key, columns), let at = TimestampParser.instant(ofStored: filled), let deadline,
                    at <= deadline
                {
                    within += 1
                }
            }
            followUp = FollowUp(
                previousScanAt: previous.scannedAt, listed: previous.items.count,
                closed: closedKeys.count, closedWithin48h: within)
        }
        return Result(gaps: gaps, activeCustomers: activeCustomers, followUp: followUp)
    }

    /// A field's value as a person reads it.
    static func display(_ field: CanonicalField, of row: CustomerRow) -> String {
        switch field {
        case .phone: return row.phoneE164
        case .taxID: return row.taxID
        case .address: return [row[.province], row[.city], row[.district], row[.addressDetail]].compactMap { $0 }.joined()
        default: return MasterColumn.allCases.first { $0.field == field }.flatMap { row[$0] } ?? ""
        }
    }

    /// The change-log columns that fill a field (an address is filled by its district).
    static func columns(of field: CanonicalField) -> [String] {
        field == .address ? [MasterColumn.district.name] : MasterColumn.allCases.filter { $0.field == field }.map(\.name)
    }
}

extension GapScan.Result {
    /// The export contract of `crmbridge scan gaps`: header first.
    package static let columns = ["customer_key", "name", "owner", "sales_group", "status", "missing"]

    package func rows(_ body: ([String]) throws -> Void) rethrows {
        try body(Self.columns)
        for gap in gaps {
            try body([
                gap.key.hex, gap.name, gap.owner, gap.salesGroup, gap.status,
                gap.missing.map(\.rawValue).joined(separator: ","),
            ])
        }
    }

    /// The workbook for people: one sheet per sales group, a column per scanned field, every
    /// missing cell red.
    package func write(to workbook: XLSXWriter, fields: [CanonicalField]) throws(StoreError) {
        let header = ["customer_key", "name", "owner", "sales_group", "status"] + fields.map(\.rawValue)
        if gaps.isEmpty { try workbook.addSheet("gaps", header: header) }
        for (group, gaps) in bySalesGroup {
            try workbook.addSheet(group.isEmpty ? "(no sales group)" : group, header: header)
            for gap in gaps {
                let cells =
                    [gap.key.hex, gap.name, gap.owner, gap.salesGroup, gap.status].map { XLSXWriter.Cell($0) }
                    + zip(fields, gap.values).map { XLSXWriter.Cell($1, missing: gap.missing.contains($0)) }
                workbook.write(cells)
            }
        }
    }

    /// Gaps per sales group, in the list's order.
    package var bySalesGroup: [(group: String, gaps: [GapScan.Gap])] {
        var groups: [(group: String, gaps: [GapScan.Gap])] = []
        for gap in gaps {
            if groups.last?.group == gap.salesGroup {
                groups[groups.count - 1].gaps.append(gap)
            } else {
                groups.append((gap.salesGroup, [gap]))
            }
        }
        return groups
    }
}
