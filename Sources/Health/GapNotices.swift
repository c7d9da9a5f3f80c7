import Foundation
import Transform

/// What `crmbridge scan gaps --notify` says: one message per owner with gaps (count, the first
/// companies, the deadline) @-mentioning them, one listing the owners nobody can mention, and
/// a summary for the sales VP. After a re-scan an owner's message also says what was closed in
/// time and what is overdue; owners with nothing open are not messaged.
package struct GapNotices: Sendable {
    /// Owner → mobile (11 digits); never printed.
    package var people: [String: String]
    package var strings: Strings
    /// The person the summary @-mentions (`scan.sales_vp`, a name in `people`).
    package var salesVP: String?
    /// Customers named per owner before "and N more": a chat message, not the list.
    static let firstFew = 5

    package init(people: [String: String], strings: Strings, salesVP: String? = nil) {
        self.people = people
        self.strings = strings
        self.salesVP = salesVP
    }

    package func messages(for result: GapScan.Result, layout: GapListLayout) -> [RobotMessage] {
        var byOwner: [(owner: String, gaps: [GapScan.Gap])] = []
        for (owner, gaps) in Dictionary(grouping: result.gaps, by: \.owner).sorted(by: { $0.key < $1.key }) {
            byOwner.append((owner, gaps))
        }
        var messages: [RobotMessage] = []
        var unmapped: [(owner: String, gaps: [GapScan.Gap])] = []
        for (owner, gaps) in byOwner {
            guard let mobile = people[owner], !owner.isEmpty else {
                unmapped.append((owner, gaps))
                continue
            }
            var lines = [
                "### " + strings.noticeOwnerTitle(owner), "",
                strings.noticeOwnerBody(gaps.count, layout.shownDeadline),
            ]
            lines += list(gaps)
            if let closed = result.followUp?.byOwner[owner] {
                lines += ["", strings.noticeOwnerFollowUp(closed.closedInTime, closed.closedLate, closed.overdue)]
            }
            messages.append(
                RobotMessage(title: strings.noticeOwnerTitle(owner), markdown: lines.joined(separator: "\n"), mentions: [mobile]))
        }
        if !unmapped.isEmpty {
            var lines = ["### " + strings.noticeUnmappedTitle, "", strings.noticeUnmappedBody, ""]
            for (owner, gaps) in unmapped {
                lines.append("- " + strings.noticeUnmappedOwner(owner.isEmpty ? strings.noOwner : owner, gaps.count))
            }
            messages.append(RobotMessage(title: strings.noticeUnmappedTitle, markdown: lines.joined(separator: "\n")))
        }
        messages.append(summary(result, layout: layout))
        return messages
    }

    /// The first few of an owner's customers: company (contact), masked mobile, what is missing.
    private func list(_ gaps: [GapScan.Gap]) -> [String] {
        var lines = gaps.prefix(Self.firstFew).map { gap in
            let who = [gap.company, gap.name].filter { !$0.isEmpty }
            let label = who.count == 2 ? strings.noticeCompanyContact(who[0], who[1]) : who.first ?? maskedPhone(gap.phoneE164)
            return "- "
                + strings.noticeGap(
                    label, maskedPhone(gap.phoneE164), gap.missing.map(strings.field).joined(separator: strings.listSeparator))
        }
        if gaps.count > Self.firstFew { lines.append("- " + strings.noticeMore(gaps.count - Self.firstFew)) }
        return lines
    }

    /// For the sales VP: totals, per sales group, and what became of the last list.
    private func summary(_ result: GapScan.Result, layout: GapListLayout) -> RobotMessage {
        var lines = [
            "### " + strings.noticeSummaryTitle, "",
            strings.noticeSummaryBody(result.gaps.count, result.activeCustomers, layout.shownDeadline),
        ]
        for (group, gaps) in result.bySalesGroup {
            lines.append("- " + strings.noticeGroupLine(group.isEmpty ? strings.noSalesGroup : group, gaps.count))
        }
        if let followUp = result.followUp {
            lines += [
                "",
                strings.noticeSummaryFollowUp(
                    GapListLayout.shown(followUp.previousScanAt), followUp.listed, followUp.closed, followUp.closedWithin48h,
                    followUp.overdue),
            ]
        }
        let vp = salesVP.flatMap { people[$0] }
        return RobotMessage(
            title: strings.noticeSummaryTitle, markdown: lines.joined(separator: "\n"), mentions: vp.map { [$0] } ?? [])
    }
}
