import Testing

@testable import Transform

/// Company names in one form, and which of two names is the fuller form of the other.
struct CompanyNameTests {
    @Test(
        "one form for one name",
        arguments: [
            (" 青岛合力医疗器械有限公司 ", "青岛合力医疗器械有限公司"),
            ("青岛 合力医疗器械 有限公司", "青岛合力医疗器械有限公司"),
            ("华为技术(北京)有限公司", "华为技术（北京）有限公司"),  // the branch marker stays
            ("华为技术 （北京） 有限公司", "华为技术（北京）有限公司"),
            ("上海ＡＢＣ贸易有限公司", "上海ABC贸易有限公司"),
            ("Siemens  Ltd. , China", "Siemens Ltd. , China"),
            ("IBM 中国有限公司", "IBM中国有限公司"),
            ("深圳创新投资合伙企业(有限合伙)", "深圳创新投资合伙企业（有限合伙）"),
        ])
    func normalizes(raw: String, name: String) {
        #expect(CompanyName.normalize(raw) == name)
        #expect(CompanyName.normalize(name) == name, "idempotent")
    }

    @Test func blanksAreNoName() {
        #expect(CompanyName.normalize("  \u{3000} ") == nil)
    }

    @Test(
        "legal names",
        arguments: [
            ("青岛合力医疗器械有限公司", true), ("北京字节跳动科技有限责任公司", true), ("中国平安保险（集团）股份有限公司", true),
            ("深圳创新投资合伙企业（有限合伙）", true), ("北京金杜律师事务所", true), ("Siemens Ltd.", true), ("Apple Inc.", true),
            ("合力医疗", false), ("华为", false), ("青岛合力", false),
        ])
    func legalNames(name: String, legal: Bool) {
        #expect(CompanyName.isLegalName(name) == legal)
    }

    @Test(
        "shorter forms of a legal name",
        arguments: [
            ("合力医疗", "青岛合力医疗器械有限公司", true),
            ("青岛合力", "青岛合力医疗器械有限公司", true),
            ("合力医疗器械", "合力医疗器械（青岛）有限公司", true),
            ("合力", "青岛合力医疗器械有限公司", true),
            ("华为", "青岛合力医疗器械有限公司", false),  // another company
            ("合力医疗", "合力医疗", false),  // no legal name to keep
            ("青岛合力医疗器械有限公司", "青岛合力医疗器械有限公司", false),  // the same name
            ("合力医疗器械有限公司", "青岛合力医疗器械有限公司", false),  // a legal name itself
            ("青岛合力医疗器械有限公司", "合力医疗", false),
            ("合力医疗器械（北京）有限公司", "青岛合力医疗器械有限公司", false),  // both legal: two companies
            ("力合", "青岛合力医疗器械有限公司", false),  // not in order
        ])
    func abbreviations(short: String, full: String, abbreviates: Bool) {
        #expect(CompanyName.abbreviates(short, full) == abbreviates)
    }
}
