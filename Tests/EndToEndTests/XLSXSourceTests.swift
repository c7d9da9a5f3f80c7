import Foundation
import Testing

private let erpWorkbook = """
    pipeline: erp-excel
    store: sqlite:erp.sqlite
    key: {demo: true}
    sources:
      - system: erp
        path: FIXTURES/erp_customers.xlsx
        format: xlsx
        sheet: 客户 Customers
        id: 客户编号 Customer No.
        updated_at: 最后修改 Last Modified
        skip_rows_matching: ["^(合计|总计)"]
        fields:
          company: 客户名称 Customer Name
          name: 联系人 Contact
          phone: 手机 Mobile
          landline: 电话 Tel
          tax_id: 税号 Tax ID
          address: 地址 Address
          owner: 业务员 Sales Rep
          created_at: 创建日期 Created
    """

/// A copy of a fixture workbook in `scratch` with `old` replaced by `new` in one of its parts.
private func patched(_ fixture: String, part: String, replacing old: String, with new: String, in scratch: URL) throws -> URL {
    let copy = scratch.appendingPathComponent(fixture)
    let script = """
        import sys, zipfile
        source, target, part, old, new = sys.argv[1:]
        with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in book.infolist():
                data = book.read(item)
                out.writestr(item, data.replace(old.encode(), new.encode()) if item.filename == part else data)
        """
    let result = try Workbook.python([
        "-c", script, CLI.root.appendingPathComponent("fixtures/\(fixture)").path, copy.path,
        part, old, new,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    return copy
}

/// A copy of the ERP fixture whose shared strings declare GBK and hold two bytes that are no GBK
/// character, halfway through the part.
private func undecodableSharedStrings(in scratch: URL) throws -> URL {
    let copy = scratch.appendingPathComponent("erp_gbk.xlsx")
    let script = """
        import sys, zipfile
        source, target = sys.argv[1:]
        with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in book.infolist():
                data = book.read(item)
                if item.filename == "xl/sharedStrings.xml":
                    data = data.decode().replace('encoding="UTF-8"', 'encoding="GBK"').encode("gbk")
                    at = data.index(b"<t>", len(data) // 2) + 3
                    data = data[:at] + b"\\x81\\x20" + data[at:]
                out.writestr(item, data)
        """
    let result = try Workbook.python([
        "-c", script, CLI.root.appendingPathComponent("fixtures/erp_customers.xlsx").path, copy.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    return copy
}

@Suite struct XLSXSourceTests {
    @Test func runsTheERPWorkbook() throws {
        let scratch = try CLI.scratch()
        let summary = try CLI.checkAndRun(try pipeline(scratch, erpWorkbook))
        #expect(summary.overall.read == 11)
        #expect(summary.overall.read == summary.overall.merged + summary.overall.pending + summary.overall.rejected)
        // Seven keyed customers, among them a mobile in Excel's 1.88E+10 form and an 86-prefixed one;
        // one with a tax ID only, which no customer of this run holds.
        #expect(summary.overall.merged == 7)
        #expect(summary.overall.pending == 1)

        let store = scratch.appendingPathComponent("erp.sqlite")
        let rejects = parseCSV(try CLI.export("rejects", store: store, to: scratch))
        #expect(
            Set(rejects.map { "\($0["locator"] ?? "") \($0["reason_code"] ?? "")" }) == [
                "客户 Customers!6 empty_row", "客户 Customers!10 empty_row", "客户 Customers!12 skipped",
            ])
        let master = parseCSV(try CLI.export("master", store: store, to: scratch))
        #expect(master.count == 7)
        #expect(master.allSatisfy { ($0["phone_e164"] ?? "").hasPrefix("+861") && $0["phone_e164"]?.count == 14 })
        #expect(
            master.allSatisfy {
                $0["updated_at"]?.hasPrefix("2026-11-21T") == true && $0["updated_at"]?.hasSuffix("+08:00") == true
            })
    }

    /// Fourteen column letters overflowed the reader's Int: `check` and `run` died of a trap (exit 132).
    @Test func aColumnPastAnyIntRejectsItsRow() throws {
        let scratch = try CLI.scratch()
        let workbook = try patched(
            "erp_customers.xlsx", part: "xl/worksheets/sheet1.xml", replacing: #"r="D2""#,
            with: #"r="ZZZZZZZZZZZZZZ2""#, in: scratch)
        let file = try pipeline(scratch, erpWorkbook.replacingOccurrences(of: "FIXTURES/erp_customers.xlsx", with: workbook.path))
        let summary = try CLI.checkAndRun(file)
        #expect(summary.overall.read == 11)
        let rejects = parseCSV(try CLI.export("rejects", store: scratch.appendingPathComponent("erp.sqlite"), to: scratch))
        #expect(rejects.contains { $0["locator"] == "客户 Customers!2" && $0["reason_code"] == "malformed" }, "\(rejects)")
    }

    @Test func aLegacyWorkbookFailsItsFileWithAWayOut() throws {
        let scratch = try CLI.scratch()
        let compound = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        try compound.write(to: scratch.appendingPathComponent("erp_2003.xls"))
        let file = try pipeline(
            scratch,
            erpWorkbook.replacingOccurrences(
                of: "FIXTURES/erp_customers.xlsx",
                with: "erp_2003.xls"))
        let check = try CLI.run(["check", file.path])
        #expect(check.status != 0)
        #expect((check.stdout + check.stderr).contains("libreoffice --headless --convert-to xlsx FILE"))
        let run = try CLI.run(["run", file.path, "--lang", "en"])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("FAILED"))
    }

    /// libxml2 stops at bytes not valid in a part's declared encoding and writes its own
    /// "encoding error" lines to stderr, quoting them. The file fails with crmbridge's message alone.
    @Test func undecodableSharedStringsFailTheFileWithoutLibxml2Output() throws {
        let scratch = try CLI.scratch()
        let workbook = try undecodableSharedStrings(in: scratch)
        let file = try pipeline(scratch, erpWorkbook.replacingOccurrences(of: "FIXTURES/erp_customers.xlsx", with: workbook.path))
        let check = try CLI.run(["check", file.path])
        #expect(check.status == 2)
        #expect(check.stderr.hasPrefix(file.path) && check.stderr.contains("xl/sharedStrings.xml"), "\(check.stderr)")
        #expect(check.stderr.split(separator: "\n").count == 1, "libxml2 wrote: \(check.stderr)")
        let run = try CLI.run(["run", file.path, "--as-of", "2026-11-22T03:00:00+08:00", "--lang", "en"])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("FAILED"))
        #expect(run.stderr.isEmpty, "libxml2 wrote: \(run.stderr)")
    }
}
