import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A test file over the demo pipeline (copied into `scratch`, its thresholds and alerts
/// replaced), partner rows inline.
private func testFile(in scratch: URL, expect: String, thresholds: String? = nil, extra: String = "") throws -> URL {
    _ = try demoPipeline(in: scratch, thresholds: thresholds, extra: extra)
    let url = scratch.appendingPathComponent("pipeline.test.yml")
    try """
    # a comment the update keeps
    pipeline: pipeline.yml
    as_of: 2026-11-22T03:00:00+08:00
    tests:
      - name: partners inline
        inputs:
          partners:
            rows:
              - {partner_id: P1, name: 王芳, mobile: "13800138000", uscc: 91350203MA05DFNF2M, updated: "2026-11-21 09:00"}
              - {partner_id: P2, name: 无名, mobile: "", uscc: "", updated: "2026-11-21 09:00"}
        expect:
    \(expect)
    """.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// The attributes of every element of an XML document, by element name.
private final class XMLElements: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""

    static func parse(_ data: Data) throws -> XMLElements {
        let parser = XMLParser(data: data)
        let collector = XMLElements()
        parser.delegate = collector
        #expect(parser.parse(), "the JUnit file is not well-formed XML: \(String(describing: parser.parserError))")
        return collector
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append((name, attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite(.serialized) struct PipelineTestCommandTests {
    @Test func theBundledPipelinesPassTheirTestsAndReportJUnit() throws {
        let scratch = try CLI.scratch()
        let junit = scratch.appendingPathComponent("junit.xml")
        let files = try FileManager.default.contentsOfDirectory(atPath: CLI.root.appendingPathComponent("pipelines").path)
            .filter { $0.hasSuffix(".test.yml") }.sorted().map { "pipelines/" + $0 }
        #expect(files.count >= 3)
        let result = try CLI.run(["test"] + files + ["--junit", junit.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 failed"), "\(result.stdout)")
        let xml = try XMLElements.parse(try Data(contentsOf: junit))
        let suites = xml.elements.filter { $0.name == "testsuite" }
        #expect(suites.map { $0.attributes["name"] } == files)
        let tests = try files.map { try String(contentsOf: CLI.root.appendingPathComponent($0), encoding: .utf8) }
            .map { $0.components(separatedBy: "\n  - name: ").count - 1 }.reduce(0, +)
        let cases = xml.elements.filter { $0.name == "testcase" }
        #expect(cases.count == tests && !cases.contains { $0.attributes["name"]?.isEmpty ?? true })
        #expect(xml.elements.first { $0.name == "testsuites" }?.attributes["tests"] == String(tests))
        #expect(!xml.elements.contains { $0.name == "failure" })
    }

    @Test func aFailurePrintsTheTestFilesLinesFieldByFieldAndTheRecordInvolved() throws {
        let scratch = try CLI.scratch()
        let file = try testFile(
            in: scratch,
            expect: """
                      counts: {read: 2, merged: 2, rejected: 1}
                      master:
                        - {phone: "+8613800138000", name: 王小芳}
                      rejects: []
                      metrics: {id_match: 0.5 ±0.01}
                """)
        let junit = scratch.appendingPathComponent("junit.xml")
        let result = try CLI.run(["test", file.path, "--junit", junit.path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("FAIL \(file.path):5 partners inline"), "\(out)")
        #expect(out.contains("\(file.path):12: counts.merged: expected 2, got 1"), "\(out)")
        #expect(out.contains("\(file.path):14: master: no row {phone: \"+86138****8000\", name: 王小芳} in the run"), "\(out)")
        #expect(out.contains("nearest row (from partners P1 at partners.csv line 2):"), "\(out)")
        #expect(out.contains("      name: expected 王小芳, got 王芳"), "\(out)")
        // The reject nobody expected, with its file and locator.
        #expect(
            out.contains("\(file.path):15: rejects: unexpected row {system: partners, locator: line 3, reason: no_identifier}"),
            "\(out)")
        #expect(out.contains("(partners.csv line 3)"), "\(out)")
        #expect(out.contains("\(file.path):16: metrics.id_match: expected 0.5 ±0.01, got 1.0"), "\(out)")
        #expect(!out.contains("13800138000"), "phones are masked in the output")
        #expect(out.contains("1 test: 0 passed, 1 failed"))
        let xml = try XMLElements.parse(try Data(contentsOf: junit))
        #expect(xml.elements.first { $0.name == "testsuites" }?.attributes["failures"] == "1")
        #expect(xml.elements.first { $0.name == "failure" }?.attributes["message"]?.contains("counts.merged") == true)
        #expect(xml.text.contains("王小芳"))
    }

    @Test func updateRewritesTheExpectationsAndTheTestThenPasses() throws {
        let scratch = try CLI.scratch()
        let file = try testFile(
            in: scratch,
            expect: """
                      counts: {read: 1, partners: {rejected: 0}}
                      metrics: {completeness: 0.1 ±0.5, id_match: 0.5}
                      master:
                        - {phone: "+8613800138000", name: 王小芳, updated_at: "2026-11-21T…"}  # the partner
                      rejects: []
                """)
        let before = try String(contentsOf: file, encoding: .utf8)
        let update = try CLI.run(["test", file.path, "--update"])
        #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
        let after = try String(contentsOf: file, encoding: .utf8)
        // Everything above expect: is as it was; the expectations keep their keys and columns.
        let head = try #require(before.range(of: "    expect:"))
        #expect(after.hasPrefix(String(before[..<head.upperBound])))
        // In the block's order, a row's comment kept, a prefix kept while the value still has it.
        let expected = """
                counts: {read: 2, partners: {rejected: 1}}
                metrics: {completeness: 0.0 ±0.5, id_match: 1.0}
                master:
                  - {phone: "+8613800138000", name: 王芳, updated_at: "2026-11-21T…"}  # the partner
                rejects:
                  - {system: partners, locator: line 3, reason: no_identifier}
            """
        #expect(after.hasSuffix(expected.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")), "\(after)")
        let rerun = try CLI.run(["test", file.path])
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)\n\(after)")
        // A second update changes nothing.
        #expect(try CLI.run(["test", file.path, "--update"]).status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == after)
    }

    @Test func anInvalidTestFileExitsTwoWithLineAndColumn() throws {
        let scratch = try CLI.scratch()
        let file = try testFile(in: scratch, expect: "      count: {read: 2}")
        let result = try CLI.run(["test", file.path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("\(file.path):12:7: unknown key 'count'"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'counts'"), "\(result.stderr)")

        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "      partners:\n", with: "      partner:\n")
            .replacingOccurrences(of: "count:", with: "counts:")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let unknown = try CLI.run(["test", file.path])
        #expect(unknown.status == 2, "\(unknown.stdout)\(unknown.stderr)")
        #expect(unknown.stderr.contains("\(file.path):7:7: the pipeline has no source 'partner'"), "\(unknown.stderr)")
    }

    @Test func alertsAreCapturedNotSent() throws {
        let scratch = try CLI.scratch()
        let alert = "alerts:\n  - type: wecom\n    url: ${WECOM_WEBHOOK}\n    retries: 0\n"
        // The one customer lacks most required fields: completeness 0 fails.
        let file = try testFile(
            in: scratch,
            expect: """
                      alerts:
                        - {sink: wecom, status: fail}
                """,
            thresholds: "  thresholds:\n    completeness: {fail: 0.5}\n", extra: alert)
        // No webhook variable is set: the test gives it a placeholder, and sends nothing.
        let result = try CLI.run(["test", file.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        _ = try demoPipeline(in: scratch, thresholds: "  thresholds:\n    completeness: {fail: 0}\n", extra: alert)
        let quiet = try CLI.run(["test", file.path])
        #expect(quiet.status == 1, "the run alerts nobody now: \(quiet.stdout)")
        #expect(quiet.stdout.contains("alerts: no row {sink: wecom, status: fail} in the run"), "\(quiet.stdout)")
    }
}
