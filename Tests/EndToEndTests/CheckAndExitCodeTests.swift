import Foundation
import GRDB
import Testing

/// Writes a pipeline file into `scratch` whose sources point at the project's fixtures.
func pipeline(_ scratch: URL, _ body: String) throws -> URL {
    let url = scratch.appendingPathComponent("pipeline.yml")
    let fixtures = CLI.root.appendingPathComponent("fixtures").path
    try body.replacingOccurrences(of: "FIXTURES", with: fixtures).write(to: url, atomically: true, encoding: .utf8)
    return url
}

let erpSource = """
    pipeline: erp-only
    store: sqlite:erp.sqlite
    key: {secret: "${TEST_SECRET}"}
    sources:
      - system: erp
        path: FIXTURES/erp_bom.csv
        id: customer_no
        updated_at: updated_at
        fields:
          company: company
          name: contact
          phone: mobile
          tax_id: tax_id
          address: address
          owner: owner
    """

@Suite struct CheckAndExitCodeTests {
    @Test func checkAcceptsTheDemo() throws {
        let result = try CLI.run(["check", "pipelines/demo.yml"])
        #expect(result.status == 0, "\(result.stderr)")
        // One source per fixture file.
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: CLI.root.appendingPathComponent("fixtures/expected.json"))) as? [String: Any]
        let files = try #require(expected?["files"] as? [String: Any]).count
        #expect(result.stdout.contains("ok (\(files) sources, \(files) files)"))
    }

    @Test func checkNamesEveryProblemWithLineAndColumn() throws {
        let scratch = try CLI.scratch()
        let file = try pipeline(
            scratch,
            erpSource
                .replacingOccurrences(of: "    id: customer_no", with: "    idd: customer_no")
                .replacingOccurrences(of: "contact", with: "contakt"))
        let result = try CLI.run(["check", file.path], environment: ["TEST_SECRET": "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):7:5: unknown key 'idd' in 'sources[0]' (did you mean 'id'?)"))
        #expect(result.stderr.contains("lacks the required key 'id'"))
    }

    @Test func checkNamesAColumnTheHeaderLacks() throws {
        let scratch = try CLI.scratch()
        let file = try pipeline(scratch, erpSource.replacingOccurrences(of: "name: contact", with: "name: contakt"))
        let result = try CLI.run(["check", file.path], environment: ["TEST_SECRET": "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):11:13: column 'contakt' (fields.name) is not in the header of"))
        #expect(result.stderr.contains("(did you mean 'contact'?)"))
    }

    @Test(arguments: [
        ("where:\n      - {column: statuss, equals: active}", "10:18: column 'statuss' (where[0])"),
        ("dedupe_by: [owner, customer_id]", "9:24: column 'customer_id' (dedupe_by[1])"),
    ])
    func checkNamesARuleColumnTheHeaderLacks(rule: String, issue: String) throws {
        let scratch = try CLI.scratch()
        let file = try pipeline(
            scratch,
            erpSource.replacingOccurrences(
                of: "    updated_at: updated_at\n", with: "    updated_at: updated_at\n    \(rule)\n"))
        let result = try CLI.run(["check", file.path], environment: ["TEST_SECRET": "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):\(issue) is not in the header of"), "\(result.stderr)")
    }

    @Test(arguments: ["0", "-1"])
    func aHeaderRowBeforeTheFirstIsAConfigError(headerRow: String) throws {
        let scratch = try CLI.scratch()
        let file = try pipeline(
            scratch,
            erpSource.replacingOccurrences(
                of: "    id: customer_no\n", with: "    header_row: \(headerRow)\n    id: customer_no\n"))
        let result = try CLI.run(["check", file.path], environment: ["TEST_SECRET": "x"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("\(file.path):7:17: 'sources[0].header_row' must be a whole number of at least 1"),
            "\(result.stderr)")
    }

    @Test func aGlobThatMatchesNothingIsAConfigError() throws {
        let scratch = try CLI.scratch()
        let file = try pipeline(scratch, erpSource.replacingOccurrences(of: "erp_bom.csv", with: "nothing_*.csv"))
        let result = try CLI.run(["run", file.path], environment: ["TEST_SECRET": "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nothing_*.csv' matches no file"))
    }

    @Test func theSecretNeverAppearsInOutput() throws {
        let scratch = try CLI.scratch()
        let file = try pipeline(scratch, erpSource)
        let secret = "very-secret-\(UUID().uuidString)"
        let result = try CLI.run(["run", file.path, "--json"], environment: ["TEST_SECRET": secret])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        let unset = try CLI.run(["run", file.path])
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("environment variable TEST_SECRET is not set"))
    }

    @Test func aFailedThresholdExitsWith3AndStillCommits() throws {
        let scratch = try CLI.scratch()
        let file = try pipeline(
            scratch,
            erpSource + """

                health:
                  thresholds:
                    completeness: {warn: 0.999, fail: 0.99}
                """)
        let result = try CLI.run(["run", file.path, "--lang", "en"], environment: ["TEST_SECRET": "x"])
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("completeness:"))
        #expect(result.stdout.contains("[fail]"))
        let customers = try DatabaseQueue(path: scratch.appendingPathComponent("erp.sqlite").path)
            .read { try Int.fetchOne($0, sql: "SELECT count(*) FROM customers")! }
        #expect(customers > 0)
    }

    @Test func anUnreadableFileFailsTheRunButNotTheOtherFiles() throws {
        let scratch = try CLI.scratch()
        try Data().write(to: scratch.appendingPathComponent("empty.csv"))
        let file = try pipeline(
            scratch,
            erpSource + """

                  - system: legacy
                    path: empty.csv
                    id: customer_no
                    fields: {phone: mobile}
                """)
        let result = try CLI.run(["run", file.path, "--lang", "en"], environment: ["TEST_SECRET": "x"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("FAILED  \(scratch.appendingPathComponent("empty.csv").path): the file is empty"))
        let store = scratch.appendingPathComponent("erp.sqlite")
        let customers = try DatabaseQueue(path: store.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM customers")! }
        #expect(customers > 0, "the readable file was loaded")
        // The failed file is not recorded as loaded: the next run tries it again (and fails again).
        #expect(try CLI.run(["run", file.path], environment: ["TEST_SECRET": "x"]).status == 1)
    }

    @Test func theReferenceDocIsPrinted() throws {
        let result = try CLI.run(["docs"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("# Pipeline file format"))
    }
}
