import Testing
import Transform

@testable import Pipeline

/// The header dictionary `crmbridge init` maps columns with: names as Chinese and English
/// systems write them, bilingual headers, words inside longer names, and what a call log or a
/// form answer makes of a name.
@Suite struct HeaderDictionaryTests {
    @Test(
        arguments: [
            // Chinese names
            ("客户编号", ColumnRole.id), ("客户ID", .id), ("手机", .field(.phone)), ("手机号码", .field(.phone)),
            ("纳税人识别号", .field(.taxID)), ("统一社会信用代码", .field(.taxID)), ("归属销售", .field(.owner)),
            ("负责人", .field(.owner)), ("客户名称", .field(.company)), ("公司名称", .field(.company)), ("联系人", .field(.name)),
            ("姓名", .field(.name)), ("地址", .field(.address)), ("更新时间", .updatedAt), ("最后修改时间", .updatedAt),
            ("座机", .field(.landline)), ("最近联系日期", .field(.lastContactAt)), ("下次跟进计划", .field(.nextFollowupPlan)),
            ("创建时间", .field(.createdAt)), ("备注", .field(.notes)), ("销售组", .field(.salesGroup)),
            // English names, whatever their case and punctuation
            ("Customer Code", .id), ("customer_no", .id), ("Mobile Phone", .field(.phone)), ("mobile", .field(.phone)),
            ("Tax Registration No.", .field(.taxID)), ("taxId", .field(.taxID)), ("Salesperson", .field(.owner)),
            ("Company", .field(.company)), ("Contact", .field(.name)), ("Address", .field(.address)), ("Modified", .updatedAt),
            ("submittedAt", .updatedAt), ("Last Modified", .updatedAt), ("ＩＤ", .id),
            // Bilingual headers: either half
            ("客户编号 Customer No.", .id), ("Customer No./客户编号", .id), ("手机 Mobile", .field(.phone)),
            ("电话 Tel", .field(.landline)), ("Tax ID/税号", .field(.taxID)), ("最后修改 Last Modified", .updatedAt),
            // Words inside longer names
            ("客户手机号", .field(.phone)), ("开票税号", .field(.taxID)), ("customer_id", .id), ("客户所在地址", .field(.address)),
            // Call logs
            ("caller", .caller), ("主叫号码", .caller), ("start_time", .contact(.startedAt)),
            ("duration_s", .contact(.durationSeconds)),
            ("agent_id", .contact(.agent)), ("disposition", .contact(.outcome)), ("called", .contact(.called)),
        ] as [(String, ColumnRole)])
    func mapsAHeader(header: String, role: ColumnRole) throws {
        #expect(try #require(HeaderDictionary.lookup(header)).role == role)
    }

    @Test(arguments: ["信用额度 Credit Limit", "币种", "paid", "ToUserName", "MsgType", ""])
    func leavesAHeaderItDoesNotKnow(header: String) {
        #expect(HeaderDictionary.lookup(header) == nil)
    }

    @Test(
        arguments: [
            ("手机", false, false, ColumnRole.field(.phone)),
            ("手机", true, false, .caller),  // a call log's phone is the caller
            ("状态", true, false, .contact(.outcome)),  // a call's status is its outcome
            ("渠道", true, false, .contact(.channel)),
            ("电话", false, false, .field(.landline)),  // a header 电话 is the office line
            ("电话", false, true, .field(.phone)),  // a form asking 电话 wants the person's phone
        ] as [(String, Bool, Bool, ColumnRole)])
    func readsANameByWhereItStands(header: String, interactions: Bool, label: Bool, role: ColumnRole) throws {
        #expect(try #require(HeaderDictionary.lookup(header, interactions: interactions, label: label)).role == role)
    }

    @Test func saysHowAHeaderMatched() throws {
        #expect(try #require(HeaderDictionary.lookup("手机 Mobile")).how == .name)
        let keyword = try #require(HeaderDictionary.lookup("客户手机号"))
        #expect(keyword.how == .keyword && keyword.word == "手机")
        // English words are whole words: formId may be an id (its values decide), paid is not.
        #expect(HeaderDictionary.lookup("formId") == HeaderMatch(role: .id, how: .keyword, word: "id"))
        // A city alone is mapped to the address, with a caution.
        #expect(try #require(HeaderDictionary.lookup("城市")).caution != nil)
    }

    @Test(arguments: [
        ("客户编号 Customer No.", ["客户编号", "customerno"]),
        ("Tax ID/税号", ["taxid", "税号"]),
        ("手机", [String]()),
    ])
    func splitsABilingualHeader(header: String, halves: [String]) {
        #expect(HeaderDictionary.halves(of: header) == halves)
    }

    /// One table: a name listed twice would silently take the first role.
    @Test func listsEveryNameOnce() {
        var seen: [String: ColumnRole] = [:]
        var twice: [String] = []
        for (role, names) in HeaderDictionary.names {
            for name in names {
                let folded = HeaderDictionary.fold(name)
                if let earlier = seen[folded], earlier != role { twice.append("\(name): \(earlier) and \(role)") }
                seen[folded] = role
            }
        }
        #expect(twice.isEmpty)
    }
}
