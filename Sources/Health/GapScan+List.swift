import Foundation
import Load
import Transform

/// How the gap list for people is laid out.
package struct GapListLayout: Sendable {
    package var fields: [CanonicalField]
    /// The systems whose own customer numbers are listed; the one `recordURL` opens first.
    package var systems: [String]
    package var recordURL: RecordURL?
    package var scannedAt: String
    /// Scan time + 48 hours: when every gap on the list should be closed.
    package var deadline: String

    /// The deadline as a message shows it: `2026-11-24 03:00` (in the pipeline's time zone).
    package var shownDeadline: String { Self.shown(deadline) }

    /// A stored time as people read it in a message: `2026-11-24 03:00`.
    package static func shown(_ time: String) -> String { String(time.prefix(16)).replacingOccurrences(of: "T", with: " ") }

    package init(fields: [CanonicalField], systems: [String], recordURL: RecordURL?, scannedAt: String, deadline: String) {
        self.fields = fields
        self.recordURL = recordURL
        self.scannedAt = scannedAt
        self.deadline = deadline
        self.systems = systems
        if let linked = recordURL?.system, let index = systems.firstIndex(of: linked) {
            self.systems.insert(self.systems.remove(at: index), at: 0)
        }
    }
}

extension GapScan.Result {
    /// `crmbridge scan gaps` as CSV or JSON Lines, header first. In English the first six columns
    /// are the export contract (docs/exports.md); the columns a rep works from follow them.
    package func rows(_ strings: Strings, layout: GapListLayout, _ body: ([String]) throws -> Void) rethrows {
        try body(
            [strings.customerKey] + [CanonicalField.name, .owner, .salesGroup, .status].map(strings.field)
                + [strings.missing, strings.field(.company), strings.mobile] + layout.systems.map(strings.systemID)
                + [strings.daysSince, strings.deadline])
        for gap in gaps {
            try body(
                [
                    gap.key.hex, gap.name, gap.owner, gap.salesGroup, gap.status,
                    gap.missing.map(strings.field).joined(separator: strings.listSeparator), gap.company,
                    maskedPhone(gap.phoneE164),
                ] + layout.systems.map { (gap.sourceIDs[$0] ?? []).joined(separator: strings.listSeparator) }
                    + [gap.daysSinceContact.map(String.init) ?? "", layout.deadline])
        }
    }

    /// The workbook for people: a summary sheet, then one sheet per sales group whose rows
    /// start with what finds the customer (company, contact, masked mobile, the systems'
    /// numbers, the first a link to the record), every missing cell red.
    package func write(to workbook: XLSXWriter, layout: GapListLayout, strings: Strings) throws(StoreError) {
        try writeSummary(to: workbook, layout: layout, strings: strings)
        let header =
            [strings.field(.company), strings.field(.name), strings.mobile] + layout.systems.map(strings.systemID)
            + [CanonicalField.owner, .salesGroup, .status].map(strings.field) + [strings.daysSince]
            + layout.fields.map(strings.field) + [strings.deadline, strings.customerKey]
        if gaps.isEmpty { try workbook.addSheet(strings.gapsSheet, header: header) }
        for (group, gaps) in bySalesGroup {
            try workbook.addSheet(group.isEmpty ? strings.noSalesGroup : group, header: header)
            for gap in gaps {
                let ids = layout.systems.enumerated().map { index, system -> XLSXWriter.Cell in
                    let numbers = gap.sourceIDs[system] ?? []
                    let link = index == 0 ? numbers.first.flatMap { layout.recordURL?.address(of: $0) } : nil
                    return XLSXWriter.Cell(numbers.joined(separator: strings.listSeparator), style: .normal, link: link)
                }
                let cells =
                    [gap.company, gap.name, maskedPhone(gap.phoneE164)].map { XLSXWriter.Cell($0) } + ids
                    + [gap.owner, gap.salesGroup, gap.status].map { XLSXWriter.Cell($0) }
                    + [XLSXWriter.Cell(gap.daysSinceContact.map(String.init) ?? "", style: .number)]
                    + zip(layout.fields, gap.values).map { XLSXWriter.Cell($1, missing: gap.missing.contains($0)) }
                    + [XLSXWriter.Cell(layout.deadline), XLSXWriter.Cell(gap.key.hex)]
                workbook.write(cells)
            }
        }
    }

    /// The sheet the sales VP reads first: the totals, what became of the last list, gaps per
    /// sales group and per owner.
    private func writeSummary(to workbook: XLSXWriter, layout: GapListLayout, strings: Strings) throws(StoreError) {
        try workbook.addSheet(strings.gapsSummarySheet, header: strings.summaryColumns)
        func line(_ label: String, _ value: String) { workbook.write([label, value]) }
        func line(_ label: String, _ count: Int) { workbook.write([XLSXWriter.Cell(label), Self.count(count)]) }
        line(strings.summaryScannedAt, layout.scannedAt)
        line(strings.deadline, layout.deadline)
        line(strings.summaryActive, activeCustomers)
        line(strings.summaryWithGaps, gaps.count)
        if let followUp {
            line(strings.summaryPreviousScan, followUp.previousScanAt)
            line(strings.summaryPreviousListed, followUp.listed)
            line(strings.summaryClosed, followUp.closed)
            line(strings.summaryClosedWithin48h, followUp.closedWithin48h)
            line(strings.summaryOverdue, followUp.overdue)
        }
        workbook.write([String]())
        workbook.write(strings.summaryGroupColumns.map { XLSXWriter.Cell($0, style: .header) })
        for (group, gaps) in bySalesGroup { line(group.isEmpty ? strings.noSalesGroup : group, gaps.count) }
        workbook.write([String]())
        workbook.write(strings.summaryOwnerColumns.map { XLSXWriter.Cell($0, style: .header) })
        let open = Dictionary(grouping: gaps, by: \.owner).mapValues(\.count)
        let owners = Set(open.keys).union(followUp?.byOwner.keys ?? [:].keys).sorted()
        for owner in owners {
            let closed = followUp?.byOwner[owner]
            let counts =
                [open[owner] ?? 0]
                + (followUp == nil ? [] : [closed?.closedInTime ?? 0, closed?.closedLate ?? 0, closed?.overdue ?? 0])
            workbook.write([XLSXWriter.Cell(owner.isEmpty ? strings.noOwner : owner)] + counts.map(Self.count))
        }
    }

    private static func count(_ value: Int) -> XLSXWriter.Cell { XLSXWriter.Cell(String(value), style: .number) }

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
