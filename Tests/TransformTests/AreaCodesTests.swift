import Testing

@testable import Transform

@Suite struct AreaCodesTests {
    @Test(
        "area codes name their province and main city",
        arguments: [
            (10, "北京市", "北京市"), (20, "广东省", "广州市"), (21, "上海市", "上海市"), (23, "重庆市", "重庆市"),
            (24, "辽宁省", "沈阳市"), (311, "河北省", "石家庄市"), (335, "河北省", "秦皇岛市"), (571, "浙江省", "杭州市"),
            (591, "福建省", "福州市"), (755, "广东省", "深圳市"), (898, "海南省", "海口市"), (991, "新疆维吾尔自治区", "乌鲁木齐市"),
            (470, "内蒙古自治区", "呼伦贝尔市"), (479, "内蒙古自治区", "锡林郭勒盟"), (856, "贵州省", "铜仁市"),
            (692, "云南省", "德宏傣族景颇族自治州"), (710, "湖北省", "襄阳市"),
        ])
    func lookup(code: Int, province: String, city: String) throws {
        let area = try #require(AreaCodes.lookup(code))
        #expect(area.province == province)
        #expect(area.city == city)
        #expect(area.code == code)
        #expect(area.digits == String(code))
    }

    @Test("shared codes list every city, main one first")
    func sharedCodes() throws {
        #expect(try #require(AreaCodes.lookup(24)).cities == ["沈阳市", "铁岭市", "抚顺市", "本溪市"])
        #expect(try #require(AreaCodes.lookup(731)).cities == ["长沙市", "湘潭市", "株洲市"])
        #expect(try #require(AreaCodes.lookup(728)).cities == ["仙桃市", "潜江市", "天门市"])
    }

    @Test(
        "written forms, with or without the trunk 0",
        arguments: [
            ("0755", 755), ("755", 755), ("010", 10), ("10", 10), ("020", 20), ("0591", 591),
        ])
    func writtenForms(text: String, code: Int) {
        #expect(AreaCodes.lookup(text)?.code == code)
    }

    @Test("codes not in use", arguments: ["026", "0300", "0340", "0978", "0", "", "07555", "0x55", "1", "00755"])
    func unknownCodes(text: String) {
        #expect(AreaCodes.lookup(text) == nil)
    }

    @Test func theTableIsComplete() {
        #expect(AreaCodes.all.count > 300)
        #expect(Set(AreaCodes.all.map(\.code)).count == AreaCodes.all.count)
        let twoDigit = AreaCodes.all.map(\.code).filter { $0 < 100 }.sorted()
        #expect(twoDigit == [10, 20, 21, 22, 23, 24, 25, 27, 28, 29])
        for area in AreaCodes.all {
            #expect(!area.cities.isEmpty)
            #expect(area.allowsLocalNumber(ofLength: 7) || area.allowsLocalNumber(ofLength: 8))
            #expect(!area.allowsLocalNumber(ofLength: 6) && !area.allowsLocalNumber(ofLength: 9))
            if area.code < 100 { #expect(area.allowsLocalNumber(ofLength: 8)) }
        }
    }

    @Test(
        "mobile segments by their first four digits",
        arguments: [
            (1380, true), (1300, true), (1450, true), (1490, true), (1990, true), (1740, true), (1610, true),
            (1200, false), (1110, false), (1410, false), (1540, false), (1741, false), (1940, false), (999, false), (2000, false),
        ])
    func mobileSegments(prefix: Int, allocated: Bool) {
        #expect(AreaCodes.isMobileSegment(prefix) == allocated)
    }

    @Test(
        "country calling codes",
        arguments: [
            (1, true), (7, true), (44, true), (86, true), (852, true), (853, true), (886, true),
            (0, false), (28, false), (999, false), (1000, false), (-1, false),
        ])
    func countryCodes(code: Int, inUse: Bool) {
        #expect(AreaCodes.isCountryCallingCode(code) == inUse)
    }
}
