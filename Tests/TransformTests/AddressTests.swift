import Testing

@testable import Transform

/// AddressParser: divisions read from the front of an address, the rest as the detail.
struct AddressTests {
    let parser = AddressParser()

    struct Expected: Sendable, CustomTestStringConvertible {
        var raw: String
        var province: String?
        var city: String?
        var district: String?
        var adcode: String?
        var detail: String
        var hint: String? = nil

        var testDescription: String { raw + (hint.map { " (hint \($0))" } ?? "") }
    }

    private func check(_ expected: Expected) throws {
        let address = try parser.parse(expected.raw, areaHint: expected.hint).get()
        #expect(address.province == expected.province)
        #expect(address.city == expected.city)
        #expect(address.district == expected.district)
        #expect(address.adcode == expected.adcode)
        #expect(address.detail == expected.detail)
        let level: NormalizedAddress.Level = expected.district != nil ? .district : expected.city != nil ? .city : .province
        #expect(address.level == level)
    }

    @Test(
        "full addresses",
        arguments: [
            Expected(
                raw: "广东省深圳市南山区科技园科苑路15号", province: "广东省", city: "深圳市", district: "南山区",
                adcode: "440305", detail: "科技园科苑路15号"),
            Expected(
                raw: "江苏省苏州市张家港市东风路399号银泰产业园613室", province: "江苏省", city: "苏州市",
                district: "张家港市", adcode: "320582", detail: "东风路399号银泰产业园613室"),
            Expected(
                raw: "新疆维吾尔自治区昌吉回族自治州昌吉市建设路1号", province: "新疆维吾尔自治区",
                city: "昌吉回族自治州", district: "昌吉市", adcode: "652301", detail: "建设路1号"),
            Expected(
                raw: "中国广东省深圳市福田区深南大道1号", province: "广东省", city: "深圳市", district: "福田区",
                adcode: "440304", detail: "深南大道1号"),
            Expected(
                raw: "地址：518000 广东省深圳市福田区深南大道1号", province: "广东省", city: "深圳市", district: "福田区",
                adcode: "440304", detail: "深南大道1号"),
        ])
    func fullAddresses(expected: Expected) throws { try check(expected) }

    @Test(
        "parts separated by blanks",
        arguments: [
            Expected(
                raw: "四川省 阿坝藏族羌族自治州 壤塘县 学府路106号", province: "四川省", city: "阿坝藏族羌族自治州",
                district: "壤塘县", adcode: "513230", detail: "学府路106号"),
            Expected(raw: "广东 广州", province: "广东省", city: "广州市", district: nil, adcode: "440100", detail: ""),
            Expected(
                raw: "上海市 虹口区 四川北路１２３号", province: "上海市", city: "上海市", district: "虹口区",
                adcode: "310109", detail: "四川北路123号"),
        ])
    func spacedParts(expected: Expected) throws { try check(expected) }

    @Test(
        "missing parents are inferred from a unique child",
        arguments: [
            Expected(
                raw: "临沂市兰山区珠江路512号", province: "山东省", city: "临沂市", district: "兰山区",
                adcode: "371302", detail: "珠江路512号"),
            Expected(
                raw: "张家港市东风路399号", province: "江苏省", city: "苏州市", district: "张家港市",
                adcode: "320582", detail: "东风路399号"),
            Expected(
                raw: "仪征市真州路8号", province: "江苏省", city: "扬州市", district: "仪征市", adcode: "321081",
                detail: "真州路8号"),
            Expected(
                raw: "广东省南山区科技园", province: "广东省", city: "深圳市", district: "南山区", adcode: "440305",
                detail: "科技园"),
            // Also 鹤岗's 南山区: with no province or city given, the sub-provincial city's district.
            Expected(
                raw: "南山区科技园", province: "广东省", city: "深圳市", district: "南山区", adcode: "440305",
                detail: "科技园"),
            Expected(
                raw: "吉林省朝阳区建国路1号", province: "吉林省", city: "长春市", district: "朝阳区", adcode: "220104",
                detail: "建国路1号"),
        ])
    func infersParents(expected: Expected) throws { try check(expected) }

    @Test(
        "short names without 省/市/区",
        arguments: [
            Expected(
                raw: "广东深圳南山科技园科苑路", province: "广东省", city: "深圳市", district: "南山区",
                adcode: "440305", detail: "科技园科苑路"),
            Expected(
                raw: "广东揭阳揭东世纪大道462号", province: "广东省", city: "揭阳市", district: "揭东区",
                adcode: "445203", detail: "世纪大道462号"),
            Expected(
                raw: "湖南长沙芙蓉金融街357号", province: "湖南省", city: "长沙市", district: "芙蓉区",
                adcode: "430102", detail: "金融街357号"),
            Expected(
                raw: "广西崇左宁明光华路632号", province: "广西壮族自治区", city: "崇左市", district: "宁明县",
                adcode: "451422", detail: "光华路632号"),
            Expected(
                raw: "山东青岛市北和平路912号", province: "山东省", city: "青岛市", district: "市北区",
                adcode: "370203", detail: "和平路912号"),
            Expected(
                raw: "河北石家庄桥西中山路1号", province: "河北省", city: "石家庄市", district: "桥西区",
                adcode: "130104", detail: "中山路1号"),
            Expected(raw: "内蒙包头", province: "内蒙古自治区", city: "包头市", district: nil, adcode: "150200", detail: ""),
            Expected(
                raw: "新疆乌鲁木齐", province: "新疆维吾尔自治区", city: "乌鲁木齐市", district: nil, adcode: "650100",
                detail: ""),
            Expected(
                raw: "阿坝州马尔康市", province: "四川省", city: "阿坝藏族羌族自治州", district: "马尔康市",
                adcode: "513201", detail: ""),
            Expected(raw: "潍坊", province: "山东省", city: "潍坊市", district: nil, adcode: "370700", detail: ""),
            Expected(raw: "海南", province: "海南省", city: nil, district: nil, adcode: "460000", detail: ""),
            Expected(
                raw: "郫县红光镇", province: "四川省", city: "成都市", district: "郫都区", adcode: "510117",
                detail: "红光镇"),  // a former name
        ])
    func shortNames(expected: Expected) throws { try check(expected) }

    @Test(
        "short names do not eat street names",
        arguments: [
            Expected(
                raw: "济南市中山路1号", province: "山东省", city: "济南市", district: nil, adcode: "370100",
                detail: "中山路1号"),
            Expected(
                raw: "北京市朝阳北路1号", province: "北京市", city: "北京市", district: nil, adcode: "110100",
                detail: "朝阳北路1号"),
            Expected(
                raw: "湖南长沙芙蓉中路1号", province: "湖南省", city: "长沙市", district: nil, adcode: "430100",
                detail: "芙蓉中路1号"),
            Expected(
                raw: "上海市南京东路1号", province: "上海市", city: "上海市", district: nil, adcode: "310100",
                detail: "南京东路1号"),
            Expected(
                raw: "广东佛山禅城五一路925号", province: "广东省", city: "佛山市", district: "禅城区",
                adcode: "440604", detail: "五一路925号"),
            Expected(
                raw: "福建厦门湖里花园路404号", province: "福建省", city: "厦门市", district: "湖里区",
                adcode: "350206", detail: "花园路404号"),
        ])
    func streetsStayInTheDetail(expected: Expected) throws { try check(expected) }

    @Test(
        "municipalities are their own city",
        arguments: [
            Expected(
                raw: "北京北京市朝阳区建国路88号", province: "北京市", city: "北京市", district: "朝阳区",
                adcode: "110105", detail: "建国路88号"),
            Expected(
                raw: "上海市上海市奉贤区和平路137号", province: "上海市", city: "上海市", district: "奉贤区",
                adcode: "310120", detail: "和平路137号"),
            Expected(
                raw: "重庆市巫山县广东路1号", province: "重庆市", city: "重庆市", district: "巫山县", adcode: "500237",
                detail: "广东路1号"),
            Expected(raw: "天津南开区", province: "天津市", city: "天津市", district: "南开区", adcode: "120104", detail: ""),
            Expected(raw: "北京", province: "北京市", city: "北京市", district: nil, adcode: "110100", detail: ""),
            Expected(
                raw: "香港湾仔区告士打道1号", province: "香港特别行政区", city: "香港特别行政区", district: "湾仔区",
                adcode: "810107", detail: "告士打道1号"),
            Expected(
                raw: "湖北省仙桃市钱沟路1号", province: "湖北省", city: "仙桃市", district: "仙桃市", adcode: "429004",
                detail: "钱沟路1号"),  // a county-level city governed by its province
        ])
    func municipalities(expected: Expected) throws { try check(expected) }

    @Test(
        "ambiguous names: the other parts, then the hint, then what is certain",
        arguments: [
            Expected(raw: "辽宁朝阳", province: "辽宁省", city: "朝阳市", district: nil, adcode: "211300", detail: ""),
            Expected(raw: "朝阳", province: "辽宁省", city: "朝阳市", district: nil, adcode: "211300", detail: ""),
            Expected(
                raw: "朝阳区建国路88号", province: "吉林省", city: "长春市", district: "朝阳区", adcode: "220104",
                detail: "建国路88号", hint: "长春市"),
            Expected(
                raw: "朝阳区建国路88号", province: "北京市", city: "北京市", district: "朝阳区", adcode: "110105",
                detail: "建国路88号", hint: "110000"),
            Expected(
                raw: "鼓楼区中山路1号", province: "福建省", city: "福州市", district: "鼓楼区", adcode: "350102",
                detail: "中山路1号", hint: "0591"),
            Expected(
                raw: "鼓楼区中山路1号", province: "江苏省", city: "徐州市", district: "鼓楼区", adcode: "320302",
                detail: "中山路1号", hint: "320300"),
            Expected(
                raw: "福建省鼓楼区五四路1号", province: "福建省", city: "福州市", district: "鼓楼区", adcode: "350102",
                detail: "五四路1号"),
            // What is left out stays in the detail.
            Expected(
                raw: "江苏省鼓楼区中山路1号", province: "江苏省", city: nil, district: nil, adcode: "320000",
                detail: "鼓楼区中山路1号"),
            // A hint never adds what the address does not say.
            Expected(raw: "江苏省", province: "江苏省", city: nil, district: nil, adcode: "320000", detail: "", hint: "南京市"),
        ])
    func ambiguity(expected: Expected) throws { try check(expected) }

    @Test("nothing certain is ambiguous", arguments: ["朝阳区建国路88号", "鼓楼区中山路1号", "和平区", "鼓楼区中山路1号"])
    func ambiguous(raw: String) {
        #expect(parser.parse(raw) == .failure(.ambiguous))
    }

    @Test(
        "refusals",
        arguments: [
            ("", AddressRefusal.empty), ("  ", .empty), ("无", .empty), ("不详", .empty), ("-", .empty),
            ("科技园1号", .unresolved), ("Room 1501", .unresolved),
        ])
    func refuses(raw: String, refusal: AddressRefusal) {
        #expect(parser.parse(raw) == .failure(refusal))
    }

    @Test(
        "the detail is folded and cleaned",
        arguments: [
            ("广东省深圳市南山区科技园Ｂ座１５０１室", "科技园B座1501室"),
            ("深圳市南山区 粤海街道 3#楼 b座 1501", "粤海街道3号楼B座1501"),
            ("江苏省扬州市仪征市金融街648号, 银泰科技园", "金融街648号银泰科技园"),
            ("广西贺州市钟山县长江路445号, 前台转交", "长江路445号"),
            ("山东省青岛市胶州市创业路547号, 近地铁站", "创业路547号"),
            ("广东省深圳市南山区海天一路8號", "海天一路8号"),
            ("广东省深圳市南山区 Tower A Room 1501", "Tower A Room 1501"),
            ("广东省深圳市南山区科技园5栋2单元301室", "科技园5栋2单元301室"),
        ])
    func detail(raw: String, detail: String) throws {
        #expect(try parser.parse(raw).get().detail == detail)
    }

    @Test func completeness() throws {
        #expect(try parser.parse("广东省深圳市南山区").get().isComplete)
        #expect(try parser.parse("广东省东莞市松山湖大道1号").get().isComplete)  // 东莞 has no districts
        #expect(try !parser.parse("广东省深圳市").get().isComplete)
        #expect(try !parser.parse("广东省").get().isComplete)
    }

    // MARK: The gazetteer

    @Test func gazetteerShape() {
        let divisions = Gazetteer.shared.divisions
        let provinces = divisions.filter { $0.level == .province }
        #expect(provinces.count == 34)  // 31 + 香港, 澳门, 台湾
        #expect(divisions.filter { $0.level == .district }.count > 2_800)
        for division in divisions {
            #expect(division.code >= 110_000 && division.code <= 820_099)
            #expect(divisions[Int(division.province)].level == .province)
            if division.level != .province {
                #expect(division.city >= 0 && divisions[Int(division.city)].level == .city)
                #expect(divisions[Int(division.city)].province == division.province)
            }
        }
        for municipality in ["北京市", "天津市", "上海市", "重庆市", "香港特别行政区", "澳门特别行政区"] {
            let province = provinces.first { $0.name == municipality }
            #expect(province.map { $0.impliedCity >= 0 } == true, "\(municipality)")
        }
    }

    /// Every county-level division parses to itself, written in full.
    @Test func everyDistrictResolves() {
        let gazetteer = Gazetteer.shared
        var failures: [String] = []
        for division in gazetteer.divisions where division.level == .district {
            let city = gazetteer.divisions[Int(division.city)]
            let province = gazetteer.divisions[Int(division.province)]
            let cityName = city.name == province.name || city.name == division.name ? "" : city.name
            let raw = province.name + cityName + division.name + "人民路1号"
            switch parser.parse(raw) {
            case .success(let address) where address.adcode == division.adcode && address.detail == "人民路1号": break
            case let other: failures.append("\(raw): \(other)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count): \(failures.prefix(5))")
    }

    /// Every prefecture parses to itself, by its official name and by its short name.
    @Test func everyCityResolves() {
        let gazetteer = Gazetteer.shared
        var failures: [String] = []
        for (index, division) in gazetteer.divisions.enumerated()
        where division.level == .city && gazetteer.index(code: division.code) == Int32(index) {
            let province = gazetteer.divisions[Int(division.province)]
            switch parser.parse(province.name + division.name) {
            case .success(let address) where address.adcode == division.adcode && address.level == .city: break
            case let other: failures.append("\(province.name + division.name): \(other)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count): \(failures.prefix(5))")
    }
}
