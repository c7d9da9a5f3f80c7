import Testing

@testable import Pipeline
@testable import Transform

/// `kind: interactions`, `contact_channel` and the row rules in the pipeline file.
@Suite struct SourceRulesLoaderTests {
    static let calls = """
        pipeline: nightly
        key: {demo: true}
        sources:
          - system: callcenter
            kind: interactions
            path: calls.csv
            id: call_id
            skip_rows_matching: ["^合计"]
            fields:
              phone: caller
              started_at: start_time
              duration_s: duration_s
        """

    @Test func readsAnInteractionsSource() throws {
        let source = try parse(Self.calls).sources[0]
        #expect(source.kind == .interactions)
        #expect(source.fields.map(\.field) == [.phone])
        #expect(source.contactFields.map(\.field) == [.startedAt, .durationSeconds])
        #expect(source.rules.skipPatterns == ["^合计"])
        #expect(source.mappedPaths == ["call_id", "caller", "start_time", "duration_s"])
    }

    @Test func anInteractionsSourceMapsNoCustomerField() {
        let text = Self.calls.replacingOccurrences(of: "      duration_s: duration_s", with: "      company: 公司")
        #expect(issues(text).contains { $0.hasPrefix("/etc/crm/nightly.yml:12:7: 'company' is a customer field") })
    }

    @Test func aCustomersSourceMapsNoContactField() {
        let text = Self.calls.replacingOccurrences(of: "    kind: interactions\n", with: "")
        #expect(issues(text).contains { $0.hasPrefix("/etc/crm/nightly.yml:10:7: 'started_at' is a field of contacts") })
    }

    @Test func readsWhereAndDedupeBy() throws {
        let text = """
            pipeline: forms
            key: {demo: true}
            sources:
              - system: wechat
                path: wechat.xml
                format: xml
                id: MsgId
                contact_channel: wechat_form
                where:
                  - {column: MsgType, equals: text}
                  - {column: Event, not_in: [subscribe, unsubscribe]}
                dedupe_by: [MsgId]
                fields: {phone: "Content#手机"}
            """
        let source = try parse(text).sources[0]
        #expect(source.contactChannel == "wechat_form")
        #expect(source.rules.conditions.map(\.column) == ["MsgType", "Event"])
        guard case .noneOf(let values) = source.rules.conditions[1].test else { Issue.record("expected not_in"); return }
        #expect(values == ["subscribe", "unsubscribe"])
        #expect(source.mappedPaths == ["MsgId", "Content#手机", "MsgType", "Event"])
    }

    @Test func aConditionHasExactlyOneTestAndValidPatterns() {
        let text = """
            pipeline: forms
            key: {demo: true}
            sources:
              - system: wechat
                path: wechat.xml
                id: MsgId
                where:
                  - {column: MsgType, equals: text, matches: "^t"}
                  - {column: Content, matches: "手机("}
                skip_rows_matching: ["[合计"]
                fields: {phone: mobile}
            """
        let found = issues(text)
        #expect(found.contains { $0.hasPrefix("/etc/crm/nightly.yml:8:9: a where condition needs exactly one test") })
        #expect(
            found.contains(
                "/etc/crm/nightly.yml:9:36: '手机(' is not a valid regular expression (ICU syntax: mismatched paren at offset 3)"))
        #expect(
            found.contains(
                "/etc/crm/nightly.yml:10:26: '[合计' is not a valid regular expression (ICU syntax: missing close bracket at offset 3)"
            ))
    }
}
