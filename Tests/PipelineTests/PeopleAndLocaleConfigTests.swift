import Foundation
import Testing

@testable import Health
@testable import Pipeline

@Suite struct PeopleAndLocaleConfigTests {
    @Test func localeDefaultsToChineseAndTakesEnglish() throws {
        #expect(try parse(valid).language == .zhCN)
        #expect(try parse("locale: en\n" + valid).language == .en)
        #expect(issues("locale: fr\n" + valid).contains { $0.contains("expected one of zh-CN, en") })
    }

    @Test func peopleAreCheckedMobilesNamedByOwnerNeverByNumber() throws {
        let config = try parse(
            valid + """

                people:
                  李娜: ${MOBILE}
                  陈晨: +86 139 0013 9000
                """, environment: ["SECRET": "s", "MOBILE": "138-0013-8000"])
        #expect(config.people == ["李娜": "13800138000", "陈晨": "13900139000"])
        let found = issues(valid + "\npeople:\n  周杰: 0755-88886666\n")
        #expect(found.contains { $0.contains("the mobile of 周杰 in people is not a Chinese mobile number") }, "\(found)")
        #expect(!found.joined().contains("88886666"))
    }

    @Test func peopleFileLinesThenPeopleWin() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-people-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "\u{FEFF}负责人,手机\n李娜,13800138000\n陈晨, 13700137000\n".write(
            to: folder.appendingPathComponent("people.csv"), atomically: true, encoding: .utf8)
        let config = try PipelineLoader.parse(
            valid + "\npeople_file: people.csv\npeople:\n  陈晨: '13900139000'\n",
            file: folder.appendingPathComponent("p.yml").path, environment: ["SECRET": "s"])
        #expect(config.people == ["李娜": "13800138000", "陈晨": "13900139000"])
    }

    @Test func theSalesVPIsSomeoneInPeople() throws {
        let config = try parse(valid + "\npeople:\n  王总: '13600136000'\nscan:\n  sales_vp: 王总\n")
        #expect(config.salesVP == "王总")
        #expect(
            issues(valid + "\nscan:\n  sales_vp: 王总\n").contains { $0.contains("王总, who has no mobile in people") })
    }

    @Test func recordURLNamesASourceSystem() throws {
        let config = try parse(valid + "\nscan:\n  record_url: https://crm.example.com/c/{crm_id}?tab=1\n")
        #expect(config.recordURL?.system == "crm")
        #expect(config.recordURL?.address(of: "KH 1/2") == "https://crm.example.com/c/KH%201%2F2?tab=1")
        #expect(
            issues(valid + "\nscan:\n  record_url: https://crm.example.com/c/{erp_id}\n")
                .contains { $0.contains("names {erp_id}, but no source has system: erp") })
        #expect(
            issues(valid + "\nscan:\n  record_url: https://crm.example.com/c/KH1\n")
                .contains { $0.contains("{SYSTEM_id} where the number goes") })
    }
}
