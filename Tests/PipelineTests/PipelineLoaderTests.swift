import Foundation
import Testing
import Transform

@testable import Pipeline

let valid = """
    pipeline: nightly
    store: sqlite:out/master.sqlite
    key:
      secret: ${SECRET}
    sources:
      - system: crm
        path: crm.csv
        id: 客户编号
        updated_at: 更新时间
        fields:
          name: 联系人
          phone: 手机
    health:
      thresholds:
        id_match: {warn: 0.9, fail: 0.7}
    """

func parse(_ text: String, environment: [String: String] = ["SECRET": "s3cret"]) throws(ConfigError) -> PipelineConfig {
    try PipelineLoader.parse(text, file: "/etc/crm/nightly.yml", environment: environment)
}

func issues(_ text: String, environment: [String: String] = ["SECRET": "s3cret"]) -> [String] {
    do {
        _ = try parse(text, environment: environment)
        return []
    } catch {
        return error.issues.map(\.description)
    }
}

@Suite struct PipelineLoaderTests {
    @Test func readsAValidFileWithDefaults() throws {
        let config = try parse(valid)
        #expect(config.name == "nightly")
        #expect(config.store == .sqlite(path: "/etc/crm/out/master.sqlite"))
        #expect(config.timeZone.identifier == "Asia/Shanghai")
        #expect(config.secret == Array("s3cret".utf8))
        #expect(config.sources.count == 1)
        #expect(config.sources[0].kind == .customers)
        #expect(config.sources[0].encoding == nil)
        #expect(config.sources[0].headerRow == 1)
        #expect(config.sources[0].fields.map(\.column) == ["联系人", "手机"])
        #expect(config.thresholds[.idMatch]?.fail == 0.7)
        #expect(config.required.count == 12)
    }

    @Test func limitsTakeVariablesAndASourceOverridesThePipeline() throws {
        let text =
            valid.replacingOccurrences(of: "    path: crm.csv", with: "    path: crm.csv\n    limits: {xlsx_rows: 5}")
            + "\nlimits: {cell_bytes: \"${CELL}\", xlsx_rows: 7}"
        let config = try parse(text, environment: ["SECRET": "s3cret", "CELL": "2 KiB"])
        #expect(config.sources[0].limits.read.cellBytes == 2048)
        #expect(config.sources[0].limits.xlsx.maxRows == 5)
    }

    @Test func aMessageQuotingAValueShowsTheVariableNotTheSecret() {
        // Found by fuzzing: a secret interpolated into a key with a closed vocabulary was quoted back.
        let text = valid.replacingOccurrences(of: "    path: crm.csv", with: "    path: crm.csv\n    kind: custome${SECRET}rs")
        let found = issues(text)
        #expect(found.contains { $0.contains("'sources[0].kind' is 'custome${SECRET}rs'") }, "\(found)")
        #expect(!found.contains { $0.contains("s3cret") }, "\(found)")
    }

    @Test func namesAnUnknownKeyWithASuggestion() {
        let text = valid.replacingOccurrences(of: "    path: crm.csv", with: "    paht: crm.csv")
        let found = issues(text)
        #expect(
            found.contains(
                "/etc/crm/nightly.yml:7:5: unknown key 'paht' in 'sources[0]' (did you mean 'path'?); expected system, kind, contact_channel, path, format, encoding, delimiter, record_element, sheet, header_row, id, updated_at, date_order, legacy_tax_id_forms_key, area_code_resolves_address, fields, where, skip_rows_matching, dedupe_by, limits"
            ))
        #expect(found.contains { $0.contains("lacks the required key 'path'") })
    }

    @Test func refusesACommaInASystemName() {
        let text = valid.replacingOccurrences(of: "  - system: crm", with: "  - system: crm,erp")
        #expect(issues(text).contains { $0.contains("'crm,erp': a source system's name cannot hold a comma") })
        // A comma the next character combines with is still a comma in the stored list.
        let combined = valid.replacingOccurrences(of: "  - system: crm", with: "  - system: crm,\u{301}erp")
        #expect(issues(combined).contains { $0.contains("a source system's name cannot hold a comma") })
    }

    @Test func namesAnUnknownCanonicalField() {
        let text = valid.replacingOccurrences(of: "      phone: 手机", with: "      mobile: 手机")
        #expect(issues(text).contains { $0.hasPrefix("/etc/crm/nightly.yml:12:7: 'mobile' is not a canonical field") })
    }

    @Test func namesAWrongType() {
        let text = valid.replacingOccurrences(of: "{warn: 0.9, fail: 0.7}", with: "{warn: high}")
        #expect(issues(text) == ["/etc/crm/nightly.yml:15:22: 'health.thresholds.id_match.warn' must be a number"])
    }

    @Test func namesABadEnumValue() {
        let text = valid.replacingOccurrences(of: "    id: 客户编号", with: "    encoding: gbkk\n    id: 客户编号")
        #expect(issues(text).first?.contains("'sources[0].encoding' is 'gbkk', expected one of") == true)
    }

    @Test("date_order", arguments: [("", nil as DateOrder?), ("    date_order: dmy\n", .dmy), ("    date_order: mdy\n", .mdy)])
    func readsTheDateOrder(line: String, order: DateOrder?) throws {
        let config = try parse(valid.replacingOccurrences(of: "    id: 客户编号\n", with: line + "    id: 客户编号\n"))
        #expect(config.sources[0].dateOrder == order)
    }

    @Test func namesABadDateOrder() {
        let text = valid.replacingOccurrences(of: "    id: 客户编号", with: "    date_order: ymd\n    id: 客户编号")
        #expect(
            issues(text).first?.contains("'sources[0].date_order' is 'ymd', expected one of dmy, mdy") == true,
            "\(issues(text))")
    }

    @Test func requiresTheSecretOutsideDemoMode() {
        let found = issues(valid.replacingOccurrences(of: "${SECRET}", with: "${SECRET:-}"), environment: [:])
        #expect(found.count == 1)
        #expect(found[0].contains("key.secret is empty"))
        let demo = valid.replacingOccurrences(of: "  secret: ${SECRET}", with: "  secret: ${SECRET:-}\n  demo: true")
        #expect(issues(demo, environment: [:]).isEmpty)
    }

    @Test func anUnsetVariableIsNamed() {
        #expect(
            issues(valid, environment: [:]) == [
                "/etc/crm/nightly.yml:4:11: environment variable SECRET is not set (write ${SECRET:-default} to give a default)"
            ])
    }

    @Test func reportsEveryIssueAtOnce() {
        let text = """
            pipeline: x
            key: {secret: s}
            sources:
              - system: crm
                fields: {name: 姓名}
            timezone: Mars/Olympus
            """
        let found = issues(text)
        #expect(found.count == 3, "path and id missing, unknown zone: \(found)")
    }

    @Test func notYAMLAtAll() {
        #expect(issues("pipeline: [unclosed").first?.contains("not valid YAML") == true)
    }

    @Test func takesAPostgresStoreWithItsSchema() throws {
        let text = valid.replacingOccurrences(
            of: "sqlite:out/master.sqlite", with: "postgres://etl:pw@db/crm?sslmode=disable&schema=crm_master")
        let config = try parse(text)
        guard case .postgres(let store) = config.store else {
            Issue.record("not a PostgreSQL store: \(config.store)")
            return
        }
        #expect(store.schema == "crm_master")
        #expect(store.connection == "postgres://etl:pw@db/crm?sslmode=disable")
        #expect(config.store.description == "postgres://etl:***@db/crm?sslmode=disable&schema=crm_master")
    }

    @Test func refusesAPostgresSchemaThatIsNoPlainNameAtItsLine() {
        let text = valid.replacingOccurrences(of: "sqlite:out/master.sqlite", with: "postgres://db/crm?schema=Bad-Name")
        #expect(issues(text).first?.hasPrefix("/etc/crm/nightly.yml:2:8: the schema 'Bad-Name'") == true)
    }
}

@Suite struct InterpolationTests {
    @Test(arguments: [
        ("${A}", "1"),
        ("x${A}y${B}", "x1y2"),
        ("${MISSING:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),
        ("$$HOME", "$HOME"),
        ("cost $5", "cost $5"),
    ])
    func resolves(text: String, expected: String) throws {
        #expect(try interpolate(text, environment: ["A": "1", "B": "2", "EMPTY": ""]).get() == expected)
    }

    @Test func anUnsetVariableFails() {
        #expect(throws: InterpolationError.unset("NOPE")) { try interpolate("${NOPE}", environment: [:]).get() }
    }
}

@Suite struct PipelineDocsTests {
    /// The committed reference must be what the schema generates (`make docs` rewrites it).
    @Test func theCommittedReferenceIsUpToDate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/pipeline-format.md"), encoding: .utf8)
        #expect(committed == PipelineDocs.markdown)
    }

    @Test func everyKeyIsDocumented() {
        for key in ["`pipeline`", "`sources[].fields`", "`health.thresholds.sync_lag_24h.fail`", "`key.secret`"] {
            #expect(PipelineDocs.markdown.contains(key))
        }
    }
}
