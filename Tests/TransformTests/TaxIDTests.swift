import Testing

@testable import Transform

@Suite struct TaxIDTests {
    @Test(
        "written forms fold to the canonical code",
        arguments: [
            "91440300MA5FXT4K8N",
            "91440300ma5fxt4k8n",
            "9144 0300 MA5F XT4K 8N",
            "9144 0300 ma5f xt4k 8n",
            "91440300-MA5FXT4K-8N",
            "914403-00MA5FXT4K8N",
            " 91440300MA5FXT4K8N ",
            "\u{3000}91440300MA5FXT4K8N\t",
            "９１４４０３００ＭＡ５ＦＸＴ４Ｋ８Ｎ",
            "９１４４０３００ｍａ５ｆｘｔ４ｋ８ｎ",
            "91440300MA5FXT4K8N\r\n",
        ])
    func canonicalForms(raw: String) throws {
        let id = try normalizeTaxID(raw).get()
        #expect(id.value == "91440300MA5FXT4K8N")
        #expect(id.kind == .uscc)
        #expect(id.divisionCode == "440300")
    }

    @Test(
        "every registration authority and category of GB 32100",
        arguments: [
            "91440300MA5FXT4K8N",  // 9 工商 · 1 企业
            "92350504MAYYAJ5P21",  // 9 工商 · 2 个体工商户
            "93510923MA62Q1T76P",  // 9 工商 · 3 农民专业合作社
            "111000000000123437",  // 1 机构编制 · 1 机关
            "12440600MB2C07549J",  // 1 机构编制 · 2 事业单位
            "31440304MD0112341Q",  // 3 司法行政 · 1 律师执业机构
            "51110105MJ00123425",  // 5 民政 · 1 社会团体
            "52310115MA1FL5R29L",  // 5 民政 · 2 民办非企业单位
            "5344030050001234XA",  // 5 民政 · 3 基金会
            "A1110000MA00001X3D",  // A 中央军委改革和编制办公室 · 1
            "N2330782MEB1234A9L",  // N 农业 · 2 村级集体经济组织
            "Y11100001234567880",  // Y 其他 · 1
            "91110000600037341L",
        ])
    func registrationCodes(code: String) throws {
        let id = try normalizeTaxID(code).get()
        #expect(id.value == code)
        #expect(id.kind == .uscc)
    }

    @Test(
        "legacy 15-character tax registration numbers",
        arguments: [
            ("320113595834871", "320113"),
            ("440304211358627", "440304"),
            ("31011510000018X", "310115"),  // check digit X
            ("31011510000018x", "310115"),
            ("4403045A1234565", "440304"),  // a letter in the organization code
        ])
    func legacyNumbers(raw: String, division: String) throws {
        let id = try normalizeTaxID(raw).get()
        #expect(id.kind == .legacy15)
        #expect(id.value == raw.uppercased())
        #expect(id.divisionCode == division)
    }

    @Test(
        "every refusal, with its reason",
        arguments: [
            ("", TaxIDRefusal.empty),
            ("   ", .empty),
            ("无", .placeholder),
            ("暂无", .placeholder),
            ("-", .placeholder),
            ("--", .placeholder),
            ("N/A", .placeholder),
            ("null", .placeholder),
            ("0", .placeholder),
            ("000000000000000000", .placeholder),
            ("91440300MA5FXT4K8", .badLength),  // truncated
            ("91430112169541013", .badLength),
            ("91440300MA5FXT4K8NN", .badLength),
            ("12345", .badLength),
            ("9144030OMA5FXT4K8Q", .badCharacter),  // O for 0
            ("91330O28033935865L", .badCharacter),
            ("913307833V8722347C", .badCharacter),  // V is not in the alphabet
            ("9132030251S490851L", .badCharacter),  // nor S
            ("91440300MA5FXT4KIN", .badCharacter),  // nor I
            ("Z1440300MA5FXT4K8N", .badCharacter),  // nor Z
            ("914A0300MA5FXT4K8N", .badCharacter),  // letters never stand in the division code
            ("税号91440300MA5FXT4K8N", .badCharacter),
            ("91440300MA5FXT4K8N。", .badCharacter),
            ("32011359583487A", .badCharacter),  // legacy check digit is 0–9 or X
            ("32011A595834871", .badCharacter),
            ("94440300MA5FXT4K8N", .badRegistrationCode),  // 工商 has no category 4
            ("99440300MA5FXT4K8N", .badRegistrationCode),
            ("B1440300MA5FXT4K8N", .badRegistrationCode),  // no authority B
            ("Y2440300MA5FXT4K8N", .badRegistrationCode),
            ("01440300MA5FXT4K8N", .badRegistrationCode),
            ("320113595834872", .badOrganizationCheck),  // legacy: wrong organization check digit
            ("91440300MA5FXT4K8Q", .badCheckCharacter),
            ("91440300MA5FXT4K80", .badCheckCharacter),
            ("91110108231174462M", .badCheckCharacter),
            ("91440300AM5FXT4K8N", .badCheckCharacter),  // neighbours swapped
        ])
    func refusals(raw: String, refusal: TaxIDRefusal) {
        #expect(normalizeTaxID(raw) == .failure(refusal))
    }

    @Test func everyRefusalHasAStableCode() {
        #expect(
            TaxIDRefusal.allCases.map(\.rawValue) == [
                "empty", "placeholder", "bad_length", "bad_character", "bad_registration_code",
                "bad_organization_check", "bad_check_character",
            ])
    }

    /// 91440300MA5FXT4K9R has a correct USCC check character but its organization code
    /// MA5FXT4K9 fails GB 11714 (the check digit would be 8).
    @Test func theOrganizationCheckIsEnforcedOnlyInStrictMode() throws {
        #expect(try normalizeTaxID("91440300MA5FXT4K9R").get().value == "91440300MA5FXT4K9R")
        #expect(normalizeTaxID("91440300MA5FXT4K9R", strictOrganizationCode: true) == .failure(.badOrganizationCheck))
        #expect(try normalizeTaxID("91440300MA5FXT4K8N", strictOrganizationCode: true).get().kind == .uscc)
    }

    @Test(
        "the GB 11714 organization check digit",
        arguments: [
            ("MA5FXT4K8", true), ("595834871", true), ("10000018X", true), ("600037341", true),
            ("MA5FXT4K9", false), ("595834872", false), ("10000018Y", false), ("MA5FXT4K", false),
        ])
    func organizationCheck(code: String, passes: Bool) {
        let bytes = Array(code.utf8)
        let result = bytes.count == 9 && bytes.withUnsafeBufferPointer { TaxIDParser.organizationCheckPasses($0) }
        #expect(result == passes)
    }

    @Test func substringsAndStringsAgree() throws {
        let line = "a,9144 0300 MA5F XT4K 8N,b"
        let field = line.split(separator: ",")[1]
        #expect(normalizeTaxID(field) == normalizeTaxID(String(field)))
        #expect(try normalizeTaxID(field).get().value == "91440300MA5FXT4K8N")
    }
}
