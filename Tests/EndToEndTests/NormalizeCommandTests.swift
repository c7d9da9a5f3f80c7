import Foundation
import Testing

/// `crmbridge normalize`: the real binary, its JSON keys (a contract) and its TSV.
@Suite struct NormalizeCommandTests {
    /// Runs `crmbridge normalize ARGS --json` and parses each output line as one JSON object.
    func normalize(_ arguments: [String], input: String? = nil) throws -> [[String: Any]] {
        let result = try CLI.run(["normalize"] + arguments + ["--json"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not an object: \(line)")
        }
    }

    /// Whether `object[key]` is JSON null (present, not absent).
    func isNull(_ object: [String: Any], _ key: String) -> Bool {
        object[key] is NSNull
    }

    @Test func phones() throws {
        let rows = try normalize(["phone", "+86 138 0013 8000", "(0755)8888-6666", "138OO138000", "010-12345678转801"])
        try #require(rows.count == 4)
        for row in rows {
            #expect(Set(row.keys).isSuperset(of: ["input", "valid", "e164", "type", "extension", "area", "reason"]))
        }
        #expect(rows[0]["input"] as? String == "+86 138 0013 8000")
        #expect(rows[0]["valid"] as? Bool == true)
        #expect(rows[0]["e164"] as? String == "+8613800138000")
        #expect(rows[0]["type"] as? String == "mobile")
        #expect(isNull(rows[0], "reason") && isNull(rows[0], "extension") && isNull(rows[0], "area"))

        #expect(rows[1]["e164"] as? String == "+8675588886666")
        #expect(rows[1]["type"] as? String == "landline")
        #expect(rows[1]["area"] as? String == "深圳市")

        // Letters O typed for zeros: refused, not repaired.
        #expect(rows[2]["valid"] as? Bool == false)
        #expect(rows[2]["reason"] as? String == "letters")
        #expect(isNull(rows[2], "e164") && isNull(rows[2], "type"))

        #expect(rows[3]["e164"] as? String == "+861012345678")
        #expect(rows[3]["extension"] as? String == "801")
        #expect(rows[3]["area"] as? String == "北京市")
    }

    @Test func names() throws {
        let rows = try normalize(["name", "单天方", "张总", "先生", "欧阳丹娜女士", "John Smith"])
        try #require(rows.count == 5)
        // 单 as a surname reads Shan, not Dan.
        #expect(rows[0]["name"] as? String == "单天方")
        #expect(rows[0]["pinyin"] as? String == "Shan Tianfang")
        #expect(rows[0]["kind"] as? String == "full")
        #expect(isNull(rows[0], "reason") && isNull(rows[0], "honorific"))

        #expect(rows[1]["kind"] as? String == "surname_only")
        #expect(rows[1]["name"] as? String == "张")
        #expect(rows[1]["honorific"] as? String == "总")
        #expect(rows[1]["reason"] as? String == "surname_only")

        #expect(rows[2]["kind"] as? String == "missing")
        #expect(rows[2]["reason"] as? String == "title_only")
        #expect(isNull(rows[2], "name") && isNull(rows[2], "pinyin"))

        #expect(rows[3]["pinyin"] as? String == "Ouyang Danna")
        #expect(rows[3]["honorific"] as? String == "女士")
        #expect(rows[4]["kind"] as? String == "latin")
    }

    @Test func addresses() throws {
        let rows = try normalize(["address", "南山区科技园", "无"])
        try #require(rows.count == 2)
        // No province or city written: 南山区 resolves to Shenzhen's, not Hegang's.
        #expect(rows[0]["province"] as? String == "广东省")
        #expect(rows[0]["city"] as? String == "深圳市")
        #expect(rows[0]["district"] as? String == "南山区")
        #expect(rows[0]["adcode"] as? String == "440305")
        #expect(rows[0]["detail"] as? String == "科技园")
        #expect(isNull(rows[0], "reason"))

        #expect(rows[1]["reason"] as? String == "empty")
        #expect(isNull(rows[1], "province") && isNull(rows[1], "adcode"))
    }

    @Test func addressesAfterProseAndWithRetiredNames() throws {
        let rows = try normalize(["address", "寄到：南京市白下区中山南路1号", "杭州市江干区景芳路1号"])
        try #require(rows.count == 2)
        #expect(rows[0]["district"] as? String == "秦淮区")
        #expect(rows[0]["detail"] as? String == "中山南路1号")
        #expect(rows[0]["retired"] as? String == "白下区 2013 → 秦淮区")
        #expect(isNull(rows[1], "district"))
        #expect(rows[1]["retired"] as? String == "江干区 2021 → 上城区|钱塘区")
    }

    @Test func taxIDs() throws {
        let rows = try normalize(["taxid", "91440300ma5fxt4k8n", "91440300MA5FXT4K8Q"])
        try #require(rows.count == 2)
        #expect(rows[0]["valid"] as? Bool == true)
        #expect(rows[0]["value"] as? String == "91440300MA5FXT4K8N")
        #expect(rows[0]["kind"] as? String == "uscc")
        #expect(isNull(rows[0], "reason"))

        #expect(rows[1]["valid"] as? Bool == false)
        #expect(rows[1]["reason"] as? String == "bad_check_character")
        #expect(isNull(rows[1], "value") && isNull(rows[1], "kind"))
    }

    @Test func dates() throws {
        let rows = try normalize(["date", "2026/1/5 8:00", "2026-02-30"])
        try #require(rows.count == 2)
        #expect(rows[0]["value"] as? String == "2026-01-05T08:00:00+08:00")
        #expect(isNull(rows[0], "reason"))
        #expect(rows[1]["reason"] as? String == "out_of_range")
        #expect(isNull(rows[1], "value"))

        let utc = try normalize(["date", "2026/1/5 8:00", "--timezone", "UTC"])
        #expect(utc.first?["value"] as? String == "2026-01-05T08:00:00+00:00")
    }

    @Test func dayFirstDatesNeedTheDateOrder() throws {
        let refused = try normalize(["date", "21/11/2026 14:33", "20261121 14:33"])
        #expect(refused.first?["reason"] as? String == "ambiguous")
        #expect(refused.last?["value"] as? String == "2026-11-21T14:33:00+08:00")
        let dmy = try normalize(["date", "21/11/2026 14:33", "11/12/2026", "--date-order", "dmy"])
        #expect(dmy.map { $0["value"] as? String } == ["2026-11-21T14:33:00+08:00", "2026-12-11T00:00:00+08:00"])
        let mdy = try normalize(["date", "11/12/2026", "--date-order", "mdy"])
        #expect(mdy.first?["value"] as? String == "2026-11-12T00:00:00+08:00")
    }

    @Test func readsOneValuePerLineOfStdin() throws {
        let rows = try normalize(["phone"], input: "13800138000\n(0755)8888-6666\n")
        try #require(rows.count == 2)
        #expect(rows[0]["e164"] as? String == "+8613800138000")
        #expect(rows[1]["e164"] as? String == "+8675588886666")
    }

    @Test func printsTSVWithAHeader() throws {
        let result = try CLI.run(["normalize", "taxid"], input: "91440300ma5fxt4k8n\r\n无\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                input\tvalid\tvalue\tkind\treason
                91440300ma5fxt4k8n\ttrue\t91440300MA5FXT4K8N\tuscc\t
                无\tfalse\t\t\tplaceholder

                """)
    }

    @Test func refusesAnUnknownTimeZone() throws {
        let result = try CLI.run(["normalize", "date", "2026-01-05", "--timezone", "Mars/Olympus"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown time zone 'Mars/Olympus'"))
    }
}
