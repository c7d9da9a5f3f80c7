import Foundation
import Load
import Testing
import Transform

@testable import Pipeline

/// `survivorship.rule`: read per field, checked against `survivorship.priority`.
@Suite struct SurvivorshipRuleLoaderTests {
    func pipeline(_ survivorship: String) -> String {
        valid + "\nsurvivorship:\n" + survivorship.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    @Test func readsARulePerField() throws {
        let config = try parse(
            pipeline("rule: {company: most_complete, notes: longest, owner: priority}\npriority: {owner: [crm, erp]}"))
        #expect(config.survivorship.rules == [.company: .mostComplete, .notes: .longest, .owner: .priority])
        #expect(config.survivorship.priority == [.owner: ["crm", "erp"]])
        #expect(try parse(valid).survivorship.rules.isEmpty)
    }

    @Test(
        "refused rules",
        arguments: [
            ("rule: {owner: priority}", "survivorship.rule.owner is priority: list its sources in survivorship.priority.owner"),
            ("rule: {owner: latest}\npriority: {owner: [crm]}", "its survivorship.priority list would be ignored"),
            ("rule: {owner: newest}", "'newest'"),
            ("rule: {last_contact_at: longest}", "'last_contact_at'"),
            ("rule: {phone: latest}", "'phone'"),
        ])
    func refuses(text: String, message: String) {
        let found = issues(pipeline(text))
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }
}
