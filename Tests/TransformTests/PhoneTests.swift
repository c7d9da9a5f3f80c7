import Testing

@testable import Transform

@Suite struct PhoneTests {
    // MARK: Mobiles

    @Test(
        "country code and separators, as people type them",
        arguments: [
            ("+86 138 0013 8000", "+8613800138000"),
            ("+8613800138000", "+8613800138000"),
            ("+86-138-0013-8000", "+8613800138000"),
            ("0086-13800138000", "+8613800138000"),
            ("0086 138 0013 8000", "+8613800138000"),
            ("+0086 138 0013 8000", "+8613800138000"),
            ("86 13800138000", "+8613800138000"),
            ("(+86)13745030739", "+8613745030739"),
            ("(86)13745030739", "+8613745030739"),
            ("+86 (0) 138 0013 8000", "+8613800138000"),
            ("138-0013-8000", "+8613800138000"),
            ("139.1424.2953", "+8613914242953"),
            ("138 0013 8000", "+8613800138000"),
            ("  13800138000  ", "+8613800138000"),
            ("\t13800138000\r\n", "+8613800138000"),
        ])
    func mobileForms(raw: String, e164: String) throws {
        let phone = try normalizePhone(raw).get()
        #expect(phone.e164 == e164)
        #expect(phone.kind == .mobile)
        #expect(phone.extensionDigits == nil)
        #expect(phone.areaCode == nil && phone.area == nil)
    }

    @Test(
        "full-width digits and punctuation",
        arguments: [
            ("１３３６４８１７７５６", "+8613364817756"),
            ("＋８６ １３８ ００１３ ８０００", "+8613800138000"),
            ("１３８－００１３－８０００", "+8613800138000"),
            ("（０７５５）８８８８－６６６６", "+8675588886666"),
            ("138\u{3000}0013\u{3000}8000", "+8613800138000"),
        ])
    func fullWidth(raw: String, e164: String) throws {
        #expect(try normalizePhone(raw).get().e164 == e164)
    }

    @Test(
        "a note in brackets is no part of the number",
        arguments: [
            ("138 0013 8000 (微信同号)", "+8613800138000"),
            ("13800138000（同微信）", "+8613800138000"),
            ("【张总】13800138000", "+8613800138000"),
            ("(0755)8888-6666 (办公室)", "+8675588886666"),
            ("(13800138000)", "+8613800138000"),  // digits in brackets are never a note: "(0755)"
        ])
    func bracketedNotes(raw: String, e164: String) throws {
        #expect(try normalizePhone(raw).get().e164 == e164)
    }

    @Test(
        "a trunk 0 before a mobile is dropped",
        arguments: [
            ("013398155190", "+8613398155190"),
            ("0 138 0013 8000", "+8613800138000"),
            ("+86 013800138000", "+8613800138000"),
        ])
    func trunkZeroBeforeMobile(raw: String, e164: String) throws {
        let phone = try normalizePhone(raw).get()
        #expect(phone.e164 == e164)
        #expect(phone.kind == .mobile)
    }

    @Test(
        "Excel's number forms",
        arguments: [
            ("8613800138000", "+8613800138000"),
            ("13800138000.0", "+8613800138000"),
            ("13800138000.00", "+8613800138000"),
            ("8613800138000.0", "+8613800138000"),
            ("75588886666.0", "+8675588886666"),
        ])
    func excelNumbers(raw: String, e164: String) throws {
        #expect(try normalizePhone(raw).get().e164 == e164)
    }

    @Test(
        "allocated mobile segments, and impossible ones",
        arguments: [
            ("13012345678", true), ("14512345678", true), ("14612345678", true), ("14912345678", true),
            ("15012345678", true), ("16212345678", true), ("16512345678", true), ("17012345678", true),
            ("17212345678", true), ("17812345678", true), ("18012345678", true), ("19012345678", true),
            ("19212345678", true), ("19912345678", true), ("17400012345", true),
            ("12012345678", false), ("11112345678", false), ("14112345678", false), ("15412345678", false),
            ("16012345678", false), ("16412345678", false), ("17412345678", false), ("17912345678", false),
            ("19412345678", false),
        ])
    func mobileSegments(raw: String, allocated: Bool) {
        switch normalizePhone(raw) {
        case .success(let phone): #expect(allocated && phone.kind == .mobile, "\(raw) accepted")
        case .failure(let refusal): #expect(!allocated && refusal == .unknownPrefix, "\(raw): \(refusal)")
        }
    }

    // MARK: Extensions

    @Test(
        "extensions after a marker or a last digit group",
        arguments: [
            ("13991679584转548", "+8613991679584", "548"),
            ("020-46721613 ext. 803", "+862046721613", "803"),
            ("020-46721613 EXT 803", "+862046721613", "803"),
            ("020-46721613 extension 803", "+862046721613", "803"),
            ("010-12345678 x123", "+861012345678", "123"),
            ("010-12345678X123", "+861012345678", "123"),
            ("0755-88886666-分机123", "+8675588886666", "123"),
            ("0755-88886666 分机 123", "+8675588886666", "123"),
            ("0755-88886666#123", "+8675588886666", "123"),
            ("027-63927250转236", "+862763927250", "236"),
            ("400-820-8820转2", "+864008208820", "2"),
            ("0755-8888-6666-801", "+8675588886666", "801"),
            ("(0756)350-1547-12", "+867563501547", "12"),
        ])
    func extensions(raw: String, e164: String, ext: String) throws {
        let phone = try normalizePhone(raw).get()
        #expect(phone.e164 == e164)
        #expect(phone.extensionDigits == ext)
    }

    // MARK: Landlines

    @Test(
        "landlines with their area code",
        arguments: [
            ("(0755)8888-6666", "+8675588886666", "755", "深圳市"),
            ("0755 88886666", "+8675588886666", "755", "深圳市"),
            ("075588886666", "+8675588886666", "755", "深圳市"),
            ("010-12345678", "+861012345678", "10", "北京市"),
            ("021 1234 5678", "+862112345678", "21", "上海市"),
            ("（021）57886784", "+862157886784", "21", "上海市"),
            ("+86 25 6834 1108", "+862568341108", "25", "南京市"),
            ("0086 10 8888 6666", "+861088886666", "10", "北京市"),
            ("+86 756 622 6972", "+867566226972", "756", "珠海市"),
            ("(0771)682-0069", "+867716820069", "771", "南宁市"),
            ("0931-3401258", "+869313401258", "931", "兰州市"),
            ("0591-87654321", "+8659187654321", "591", "福州市"),
            ("0991 1234567", "+869911234567", "991", "乌鲁木齐市"),
        ])
    func landlines(raw: String, e164: String, code: String, city: String) throws {
        let phone = try normalizePhone(raw).get()
        #expect(phone.e164 == e164)
        #expect(phone.kind == .landline)
        #expect(phone.areaCode == code)
        #expect(phone.area == city)
    }

    @Test(
        "landlines that lost their trunk 0 in Excel, when the area code exists",
        arguments: [
            ("75588886666", "+8675588886666", "深圳市"),
            ("2075137356", "+862075137356", "广州市"),
            ("1012345678", "+861012345678", "北京市"),
            ("57122836254", "+8657122836254", "杭州市"),
        ])
    func lostTrunkZero(raw: String, e164: String, city: String) throws {
        let phone = try normalizePhone(raw).get()
        #expect(phone.e164 == e164)
        #expect(phone.kind == .landline)
        #expect(phone.area == city)
    }

    @Test(
        "local numbers of the wrong length for their area code",
        arguments: [
            ("0755-8888666", PhoneRefusal.tooShort),  // Shenzhen has 8 digits
            ("0756-35015470", .tooLong),  // Zhuhai has 7
            ("010-1234567", .tooShort),
            ("010-123456789", .tooLong),
        ])
    func localLength(raw: String, refusal: PhoneRefusal) {
        #expect(normalizePhone(raw) == .failure(refusal))
    }

    // MARK: Service and international numbers

    @Test(
        "400 and 800 numbers",
        arguments: [
            ("400-820-8820", "+864008208820"),
            ("4008208820", "+864008208820"),
            ("400 820 8820", "+864008208820"),
            ("400-8208-820", "+864008208820"),
            ("+86 400 820 8820", "+864008208820"),
            ("800-810-8888", "+868008108888"),
        ])
    func serviceNumbers(raw: String, e164: String) throws {
        let phone = try normalizePhone(raw).get()
        #expect(phone.e164 == e164)
        #expect(phone.kind == .service)
        #expect(phone.areaCode == nil)
    }

    @Test(
        "numbers of other countries keep their country code",
        arguments: [
            ("+1 415 555 2671", "+14155552671"),
            ("+1 (415) 555-2671", "+14155552671"),
            ("+852 2123 4567", "+85221234567"),
            ("00852 2123 4567", "+85221234567"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+886 2 2345 6789", "+886223456789"),
        ])
    func international(raw: String, e164: String) throws {
        let phone = try normalizePhone(raw).get()
        #expect(phone.e164 == e164)
        #expect(phone.kind == .international)
    }

    // MARK: Refusals

    @Test(
        "every refusal, with its reason",
        arguments: [
            ("", PhoneRefusal.empty),
            ("   ", .empty),
            ("\u{3000}", .empty),
            ("无", .placeholder),
            ("-", .placeholder),
            ("--", .placeholder),
            ("暂无", .placeholder),
            ("N/A", .placeholder),
            ("#N/A", .placeholder),
            ("null", .placeholder),
            ("NULL", .placeholder),
            ("0", .placeholder),
            ("00000000000", .placeholder),
            ("Restricted", .placeholder),  // withheld caller IDs
            ("anonymous", .placeholder),
            ("unknown", .placeholder),
            ("1380013800", .tooShort),  // a mobile missing a digit
            ("88886666", .tooShort),  // a local number without its area code
            ("+86", .tooShort),
            ("400-820-882", .tooShort),
            ("+1 2345", .tooShort),
            ("138001380001", .tooLong),
            ("+86 138 0013 8000 0", .tooLong),
            ("1380013800013800138000123456789012345", .tooLong),
            ("+1 415 555 2671 1234 5", .tooLong),
            ("138OO138000", .letters),  // letter O for zero
            ("138-0013-800O", .letters),
            ("1380013800l", .letters),
            ("tel 13800138000", .letters),
            ("手机13800138000", .letters),
            ("abc", .letters),
            ("138*0013*8000", .letters),
            ("13800138000 微信同号", .letters),  // a note outside brackets

            ("12012345678", .unknownPrefix),
            ("11112345678", .unknownPrefix),
            ("+999 1234 5678", .unknownPrefix),  // no such country code
            ("010-01234567", .unknownPrefix),  // local numbers never start with 0
            ("0261-2345678", .unknownAreaCode),  // 026 is not in use
            ("0340-1234567", .unknownAreaCode),
            ("64012345678", .unknownAreaCode),
            ("1.38001E+10", .scientificNotation),  // Excel lost the last digits
            ("1.38001e+10", .scientificNotation),
            ("8.61380E+12", .scientificNotation),
        ])
    func refusals(raw: String, refusal: PhoneRefusal) {
        #expect(normalizePhone(raw) == .failure(refusal))
    }

    @Test func everyRefusalHasATestAndAStableCode() {
        #expect(
            PhoneRefusal.allCases.map(\.rawValue) == [
                "empty", "placeholder", "too_short", "too_long", "letters", "unknown_prefix", "unknown_area_code",
                "scientific_notation",
            ])
    }

    // MARK: Several numbers in one field

    @Test(
        "several numbers in one field, in order",
        arguments: [
            ("13800138000/13900139000", ["+8613800138000", "+8613900139000"]),
            ("138-0013-8000;010-12345678", ["+8613800138000", "+861012345678"]),
            ("13800138000，13900139000", ["+8613800138000", "+8613900139000"]),
            ("13800138000、0755-88886666转8", ["+8613800138000", "+8675588886666"]),
            ("13800138000 13900139000", ["+8613800138000", "+8613900139000"]),
            ("13800138000\n13900139000", ["+8613800138000", "+8613900139000"]),
            ("13800138000;", ["+8613800138000"]),
            ("0755/88886666", ["+8675588886666"]),  // one number, written with a slash
            ("13800138000", ["+8613800138000"]),
        ])
    func severalNumbers(raw: String, e164s: [String]) {
        let results = normalizePhones(raw)
        #expect(results.map { (try? $0.get())?.e164 } == e164s)
    }

    @Test func severalKeepTheirRefusalsInOrder() {
        let results = normalizePhones("138OO138000/13900139000")
        #expect(results.count == 2)
        #expect(results.first == .failure(.letters))
        #expect((try? results.last?.get())?.e164 == "+8613900139000")
    }

    @Test(
        "a field without a number gives one refusal",
        arguments: [
            ("", PhoneRefusal.empty), ("N/A", .placeholder), ("无/暂无", .placeholder), ("a/b", .letters),
        ])
    func severalWithoutANumber(raw: String, refusal: PhoneRefusal) {
        #expect(normalizePhones(raw) == [.failure(refusal)])
    }

    @Test func substringsAndStringsAgree() throws {
        let line = "x,+86 138 0013 8000,y"
        let field = line.split(separator: ",")[1]
        #expect(normalizePhone(field) == normalizePhone(String(field)))
        #expect(try normalizePhone(field).get().e164 == "+8613800138000")
    }
}
