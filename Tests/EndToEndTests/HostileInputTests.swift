import Foundation
import Testing

/// Files and options a hostile or careless user gives the real binary: each once trapped, hung or
/// leaked, and must now end in a clear reject or error while the rest of the batch loads.
@Suite struct HostileInputTests {
    static let header = "客户编号,客户名称,联系人,手机,统一社会信用代码,负责人,更新时间"
    static let good = "KH1,青岛合力医疗器械有限公司,蒋伟,13276466564,91370212840807763W,赵磊,2026-11-21 22:23"

    /// Runs a one-source CRM pipeline over `csv` (written as given) and returns the result.
    func run(
        _ csv: [UInt8], extra: String = "", environment: [String: String] = [:], in scratch: URL
    ) throws -> CLI.Result {
        let pipeline = try CLI.crmPipeline(
            "hostile", in: scratch,
            fields: "{company: 客户名称, name: 联系人, phone: 手机, tax_id: 统一社会信用代码, owner: 负责人}")
        if !extra.isEmpty {
            try (String(contentsOf: pipeline, encoding: .utf8) + "\n" + extra).write(
                to: pipeline, atomically: true,
                encoding: .utf8)
        }
        try Data(csv).write(to: scratch.appendingPathComponent("input.csv"))
        return try CLI.run(
            ["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"], environment: environment)
    }

    /// Yams reads `YAMS_DEFAULT_ENCODING` on each parse not told its encoding and, when it is set,
    /// prints a line to stdout: a `--json` summary no reader could parse.
    @Test func aYamsVariableInTheEnvironmentLeavesTheJSONSummaryAlone() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let csv = [Self.header, Self.good].joined(separator: "\n")
        let result = try run(Array(csv.utf8), environment: ["YAMS_DEFAULT_ENCODING": "UTF8"], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        #expect(summary.overall.merged == 1)
    }

    @Test func aNULInASourceIDIsRejectedAndShownEscaped() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // KH2 has no mobile: it goes to the pending pass, which once looped forever on the id that
        // SQLite read back cut at the NUL.
        let csv = [
            Self.header, Self.good, "KH\u{0}2,某某公司,李雷,,91440300MA5FXT4K8N,赵磊,2026-11-21 08:00",
            "KH3,某某公司,韩梅\u{0}梅,13800138000,,赵磊,2026-11-21 08:00",
        ].joined(separator: "\n")
        let result = try run(Array(csv.utf8), in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        #expect(summary.overall.read == 3)
        #expect(summary.overall.merged == 1)
        #expect(summary.overall.rejected == 2)
        let rejects = parseCSV(
            try CLI.export(
                "rejects", store: scratch.appendingPathComponent("hostile.sqlite"),
                to: scratch))
        #expect(rejects.map { $0["reason_code"] } == ["malformed", "malformed"])
        #expect(rejects[0]["reason"]?.contains("KH\\u{0}2") == true)
        #expect(rejects[1]["reason"]?.contains("NUL") == true)
    }

    @Test func aCatastrophicPatternFailsTheFileNotTheNight() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let long = String(repeating: "a", count: 5_000) + "!"
        let csv = [Self.header, "KH1,\(long),蒋伟,13276466564,91370212840807763W,赵磊,2026-11-21 22:23"]
            .joined(separator: "\n")
        let started = Date()
        let result = try run(Array(csv.utf8), extra: "    skip_rows_matching: ['(a+)+$']", in: scratch)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ran past its work limit"))
    }

    @Test(arguments: ["nan", "1e18", "-1", "inf"])
    func anImpossibleWaitIsAUsageError(wait: String) throws {
        let result = try CLI.run(["run", "pipelines/demo.yml", "--wait=\(wait)"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--wait takes seconds from 0 to 86400"))
    }

    @Test func anExportToAFullDeviceFailsCleanly() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let csv = ([Self.header] + (0..<200).map { "KH\($0),某某公司\($0),蒋伟,1327646\(String(format: "%04d", $0)),,赵磊,2026-11-21" })
            .joined(separator: "\n")
        #expect(try run(Array(csv.utf8), in: scratch).status == 0)
        let store = "sqlite:" + scratch.appendingPathComponent("hostile.sqlite").path
        let full = try CLI.run(["export", "rejects", "--store", store, "--out", "/dev/full"])
        #expect(full.status == 1, "\(full.stderr)")
        #expect(full.stderr.contains("No space left on device"))
    }

    @Test func anExportThatCannotFinishLeavesThePreviousFile() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let csv = ([Self.header] + (0..<2_000).map { "KH\($0),某某公司\($0),蒋伟,1327646\(String(format: "%04d", $0)),,赵磊,2026-11-21" })
            .joined(separator: "\n")
        #expect(try run(Array(csv.utf8), in: scratch).status == 0)
        let store = "sqlite:" + scratch.appendingPathComponent("hostile.sqlite").path
        for format in ["csv", "xlsx"] {
            let out = scratch.appendingPathComponent("xref.\(format)")
            try Data("yesterday".utf8).write(to: out)
            // A file-size limit of 64 KiB (with SIGXFSZ ignored, a write past it fails with EFBIG),
            // as a full disk would stop the export halfway; the store's own files stay under it.
            let limited = try CLI.run(
                [
                    "-c", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"", CLI.binary, "export",
                    "xref", "--store", store, "--format", format, "--out", out.path,
                ],
                executable: "/bin/bash")
            #expect(limited.status == 1, "\(format): \(limited.stderr)")
            #expect(limited.stderr.contains("nothing was written"), "\(format): \(limited.stderr)")
            #expect(try String(contentsOf: out, encoding: .utf8) == "yesterday", "\(format)")
            let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".partial") }
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test func aFileOfBlankLinesIsAbandonedAfterTheLimit() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let csv = [Self.header, Self.good].joined(separator: "\n") + String(repeating: "\n", count: 500_000)
        let started = Date()
        let result = try run(Array(csv.utf8), in: scratch)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(result.status == 1, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        #expect(summary.overall.read == 10_002)
        #expect(summary.overall.merged == 1)
        #expect(summary.overall.rejected == 10_001)
        #expect(summary.files.map(\.status) == ["failed"])
        #expect(result.stdout.contains("abandoned: 10001 of its first 10002 records are empty"))
    }

    @Test func emptyRowsAmongManyGoodOnesAreRejectedOneByOne() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let rows = (0..<10_500).map { "KH\($0),某某公司\($0),蒋伟,1327646\(String(format: "%04d", $0)),,赵磊,2026-11-21\n,,,,,," }
        let result = try run(Array(([Self.header] + rows).joined(separator: "\n").utf8), in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        #expect(summary.overall.read == 21_000)
        #expect(summary.overall.rejected_by_reason?["empty_row"] == 10_500)
    }

    @Test func deepXMLNestingIsRefusedQuickly() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let depth = 30_000
        let xml =
            "<pushes><xml><MsgId>1</MsgId><Content>手机：13800138000</Content>"
            + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</xml></pushes>"
        try xml.write(to: scratch.appendingPathComponent("wechat.xml"), atomically: true, encoding: .utf8)
        let pipeline = scratch.appendingPathComponent("deep.yml")
        try """
        pipeline: deep
        key: {demo: true}
        sources:
          - system: wechat
            path: wechat.xml
            format: xml
            id: MsgId
            fields: {phone: "Content#手机"}
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        let started = Date()
        let result = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        #expect(summary.overall.read == 1)
        #expect(summary.overall.rejected == 1)
        let rejects = parseCSV(try CLI.export("rejects", store: scratch.appendingPathComponent("deep.sqlite"), to: scratch))
        #expect(rejects.first?["reason"]?.contains("nested deeper than 256 levels") == true)
    }
}

/// A path a glob matches that is no file to read fails that file alone, in `run` and in `check`.
@Suite struct UnreadableSourceFileTests {
    /// A pipeline with a good CRM file and one bad entry (`bad.csv`, made by `makeBad`).
    func pipeline(in scratch: URL, bad makeBad: @Sendable (URL) throws -> Void) throws -> URL {
        let pipeline = try CLI.crmPipeline("files", in: scratch, fields: "{company: 客户名称, phone: 手机, tax_id: 统一社会信用代码}")
        try (String(contentsOf: pipeline, encoding: .utf8).replacingOccurrences(of: "path: input.csv", with: "path: \"*.csv\""))
            .write(to: pipeline, atomically: true, encoding: .utf8)
        try [HostileInputTests.header, HostileInputTests.good].joined(separator: "\n")
            .write(to: scratch.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try makeBad(scratch.appendingPathComponent("bad.csv"))
        return pipeline
    }

    static let cases: [(String, String, @Sendable (URL) throws -> Void)] = [
        (
            "folder", "is a folder, not a file",
            { try FileManager.default.createDirectory(at: $0, withIntermediateDirectories: false) }
        ),
        (
            "broken link", "symbolic link to a file that does not exist",
            { try FileManager.default.createSymbolicLink(atPath: $0.path, withDestinationPath: "/nonexistent/x.csv") }
        ),
        (
            "device", "is not a regular file",
            { try FileManager.default.createSymbolicLink(atPath: $0.path, withDestinationPath: "/dev/zero") }
        ),
        ("FIFO", "is not a regular file", { url in #expect(mkfifo(url.path, 0o644) == 0) }),
    ]

    @Test(arguments: 0..<cases.count)
    func failsThatFileAndLoadsTheOthers(index: Int) throws {
        let (name, message, makeBad) = Self.cases[index]
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pipeline = try pipeline(in: scratch, bad: makeBad)

        let check = try CLI.run(["check", pipeline.path])
        #expect(check.status == 2, "\(name): \(check.stdout)\(check.stderr)")
        #expect((check.stdout + check.stderr).contains(message), "\(name): \(check.stdout)\(check.stderr)")

        let result = try CLI.run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
        #expect(result.status == 1, "\(name): \(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
        #expect(summary.overall.merged == 1, "\(name)")
        #expect(summary.files.map(\.status).sorted() == ["failed", "loaded"], "\(name)")
        #expect(result.stdout.contains(message), "\(name)")
    }
}

/// Messages never echo a file's contents: a broken header or pipeline file is named, not printed.
@Suite struct NoContentInMessagesTests {
    @Test func anUnterminatedQuoteInTheHeaderIsNamedNotPrinted() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pipeline = try CLI.crmPipeline("quote", in: scratch, fields: "{phone: 手机}")
        let rows = (0..<50).map { "KH\($0),公司,张伟,1380013\(String(format: "%04d", $0)),,赵磊,2026-11-21" }
        try (["\"客户编号,客户名称,联系人,手机,统一社会信用代码,负责人,更新时间"] + rows).joined(separator: "\n")
            .write(to: scratch.appendingPathComponent("input.csv"), atomically: true, encoding: .utf8)
        for command in [["check", pipeline.path], ["run", pipeline.path]] {
            let result = try CLI.run(command)
            let output = result.stdout + result.stderr
            #expect(result.status != 0)
            #expect(output.contains("opens a quote that is never closed"), "\(output)")
            #expect(!output.contains("13800130049"), "\(output)")
        }
    }

    @Test func aDuplicateYAMLKeyIsNamedWithoutTheDocument() throws {
        let scratch = try CLI.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pipeline = scratch.appendingPathComponent("dup.yml")
        try """
        pipeline: dup
        key: {secret: "s3cr3t-literal-value"}
        alerts:
          - type: wecom
            url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=token-literal-value
        sources:
          - system: crm
            path: input.csv
            id: 客户编号
            id: 客户编号
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        let result = try CLI.run(["check", pipeline.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("dup.yml:"), "\(result.stderr)")
        #expect(result.stderr.contains("'id' appears twice"), "\(result.stderr)")
        #expect(!result.stderr.contains("literal-value"), "\(result.stderr)")
    }
}
