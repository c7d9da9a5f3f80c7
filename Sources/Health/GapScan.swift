import Foundation
import Load
import Transform

/// The monthly data-gap scan: active customers missing fields sales must keep up to date
/// (`last_contact_at`, `next_followup_plan`), grouped by sales group and owner.
package struct GapScan: Sendable {
    package var fields: [CanonicalField]
    /// Statuses that make a customer active; empty: every customer.
    package var activeStatuses: [String]
    /// The scan's time: days since the last contact are counted back from it.
    package var at: Date

    package static let defaultFields: [CanonicalField] = [.lastContactAt, .nextFollowupPlan]
    /// How long a rep has to close a gap: the practice this scan serves.
    package static let closingTime: TimeInterval = 48 * 3600

    package init(fields: [CanonicalField] = defaultFields, activeStatuses: [String] = [], at: Date = Date()) {
        self.fields = fields
        self.activeStatuses = activeStatuses
        self.at = at
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
        package var company: String
        package var phoneE164: String
        /// Whole days since the last contact; nil when there was none.
        package var daysSinceContact: Int?
        /// The customer's own numbers in the source systems (system → ids), as `Scans.gaps` adds them.
        package var sourceIDs: [String: [String]] = [:]
    }

    /// What became of one owner's customers of the last list.
    package struct OwnerFollowUp: Sendable, Equatable {
        package var closedInTime = 0
        package var closedLate = 0
        /// Still missing a listed field after the deadline.
        package var overdue = 0
    }

    /// What became of the previous scan's list.
    package struct FollowUp: Sendable, Equatable {
        package var previousScanAt: String
        package var listed: Int
        /// Customers of the last list whose missing fields are all filled now.
        package var closed: Int
        /// Of those, the ones filled within 48 hours of the last scan.
        package var closedWithin48h: Int
        /// Customers of the last list still missing a listed field after its deadline (none
        /// before the deadline).
        package var overdue: Int
        /// Per owner (the customer's owner now).
        package var byOwner: [String: OwnerFollowUp]
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
        var closedKeys: [(key: CustomerKey, listed: [String], owner: String)] = []
        var stillOpen: [String] = []
        try store.forEachCustomer { row in
            if let listed = previous?.items[row.key] {
                let stillMissing = listed.contains { name in
                    guard let field = CanonicalField(rawValue: name) else { return false }
                    return !Completeness.presence(of: field).holds(for: row)
                }
                if stillMissing {
                    stillOpen.append(row[.owner] ?? "")
                } else {
                    closedKeys.append((row.key, listed, row[.owner] ?? ""))
                }
            }
            guard active.isEmpty || active.contains(row[.status] ?? "") else { return }
            activeCustomers += 1
            let missing = checks.filter { !$0.1(row) }.map(\.0)
            guard !missing.isEmpty else { return }
            let values = fields.map { missing.contains($0) ? "" : Self.display($0, of: row) }
            let lastContact = row[.lastContactAt].flatMap(TimestampParser.instant(ofStored:))
            gaps.append(
                Gap(
                    key: row.key, name: row[.name] ?? "", owner: row[.owner] ?? "",
                    salesGroup: row[.salesGroup] ?? "", status: row[.status] ?? "", missing: missing, values: values,
                    company: row[.company] ?? "", phoneE164: row.phoneE164,
                    daysSinceContact: lastContact.map { max(0, Int(at.timeIntervalSince($0) / 86_400)) }))
        }
        gaps.sort {
            ($0.salesGroup, $0.owner, $0.name) < ($1.salesGroup, $1.owner, $1.name)
                || (($0.salesGroup, $0.owner, $0.name) == ($1.salesGroup, $1.owner, $1.name) && $0.key < $1.key)
        }
        var followUp: FollowUp?
        if let previous {
            var within = 0
            var byOwner: [String: OwnerFollowUp] = [:]
            let deadline = TimestampParser.instant(ofStored: previous.scannedAt).map { $0.addingTimeInterval(Self.closingTime) }
            for closed in closedKeys {
                let columns = closed.listed.compactMap(CanonicalField.init(rawValue:)).flatMap(Self.columns)
                if let filled = try filledAt?(closed.key, columns), let filledTime = TimestampParser.instant(ofStored: filled),
                    let deadline, filledTime <= deadline
                {
                    within += 1
                    byOwner[closed.owner, default: OwnerFollowUp()].closedInTime += 1
                } else {
                    byOwner[closed.owner, default: OwnerFollowUp()].closedLate += 1
                }
            }
            let pastDeadline = deadline.map { at > $0 } ?? false
            if pastDeadline {
                for owner in stillOpen { byOwner[owner, default: OwnerFollowUp()].overdue += 1 }
            }
            followUp = FollowUp(
                previousScanAt: previous.scannedAt, listed: previous.items.count,
                closed: closedKeys.count, closedWithin48h: within, overdue: pastDeadline ? stillOpen.count : 0,
                byOwner: byOwner)
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
