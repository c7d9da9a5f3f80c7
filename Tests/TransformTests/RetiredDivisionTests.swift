import Extract
import Testing

@testable import Transform

/// Division names retired by GB/T 2260 changes (`Gazetteer+Retired.swift`): read as today's division.
struct RetiredDivisionTests {
    let parser = AddressParser()

    @Test(
        "a retired name resolves to the division that holds its area",
        arguments: [
            ("江苏淮安清河区健康西路100号", "320812", "清河区", 2016),
            ("江苏省淮安市清浦区承德南路1号", "320812", "清浦区", 2016),
            ("淮安市楚州区翔宇大道1号", "320803", "楚州区", 2012),
            ("南京市白下区中山南路1号", "320104", "白下区", 2013),
            ("南京下关区热河路1号", "320106", "下关区", 2013),
            ("宣武区广安门内大街1号", "110102", "宣武区", 2010),  // unique: needs no city
            ("北京市崇文区崇文门外大街1号", "110101", "崇文区", 2010),
            ("上海闸北共和新路1号", "310106", "闸北", 2015),  // the short form after its city
            ("上海市卢湾区淮海中路1号", "310101", "卢湾区", 2011),
            ("上海南汇区惠南镇", "310115", "南汇区", 2009),
            ("天津市塘沽区解放路1号", "120116", "塘沽区", 2009),
            ("广州市萝岗区科学大道1号", "440112", "萝岗区", 2014),
            ("广州市东山区中山一路1号", "440104", "东山区", 2005),
            ("广州芳村花地大道1号", "440103", "芳村", 2005),
            ("苏州市沧浪区人民路1号", "320508", "沧浪区", 2012),
            ("无锡市崇安区中山路1号", "320213", "崇安区", 2015),
            ("宁波市江东区百丈路1号", "330212", "江东区", 2016),
            ("浙江杭州下城区延安路1号", "330105", "下城区", 2021),
            ("厦门市开元区禾祥西路1号", "350203", "开元区", 2003),
            ("哈尔滨市动力区和平路1号", "230110", "动力区", 2006),
            ("青岛四方区嘉定路1号", "370203", "四方区", 2012),
            ("南昌市湾里区招贤路1号", "360112", "湾里区", 2019),
            ("扬州市维扬区文昌西路1号", "321003", "维扬区", 2011),
            ("常州市戚墅堰区东方路1号", "320412", "戚墅堰区", 2015),
            ("南京市溧水县永阳镇", "320117", "溧水县", 2013),
            ("崇明县城桥镇", "310151", "崇明县", 2016),
            ("吴江市松陵镇", "320509", "吴江市", 2012),
            ("广东省增城市荔城街", "440118", "增城市", 2014),
            ("河北邢台桥东区新华北路1号", "130502", "桥东区", 2020),
            ("湖北襄樊市樊城区", "420606", "襄樊市", 2010),
        ])
    func retired(raw: String, adcode: String, name: String, year: Int) throws {
        let address = try parser.parse(raw).get()
        #expect(address.adcode == adcode)
        #expect(address.retired?.name == name)
        #expect(address.retired?.year == year)
        #expect(address.retired?.isSplit == false)
    }

    /// A name split among several districts leaves the address at its city, and says so.
    @Test(
        "a split name stops at the city",
        arguments: [
            ("浙江省杭州市江干区景芳路1号", "330100", "江干区景芳路1号", ["上城区", "钱塘区"]),
            ("厦门杏林区杏林路1号", "350200", "杏林区杏林路1号", ["集美区", "海沧区"]),
            ("石家庄市桥东区胜利北街1号", "130100", "桥东区胜利北街1号", ["长安区", "桥西区"]),
        ])
    func split(raw: String, adcode: String, detail: String, successors: [String]) throws {
        let address = try parser.parse(raw).get()
        #expect(address.adcode == adcode)
        #expect(address.district == nil)
        #expect(address.detail == detail)
        #expect(address.retired?.successors == successors)
        #expect(address.retired?.isSplit == true)
    }

    /// A division in force comes first; the short form of a retired name needs its city; the short
    /// form a county keeps as a district is no retired name.
    @Test func currentDivisionsComeFirst() throws {
        #expect(try parser.parse("张家口桥东区胜利路1号").get().adcode == "130702")
        #expect(try parser.parse("桥东区胜利路1号").get().adcode == "130702")  // only 张家口's is in force
        #expect(parser.parse("东山区中山路1号") == .failure(.ambiguous))  // 鹤岗 or 台南, never the old 广州 one
        #expect(try parser.parse("苏州平江路1号").get().detail == "平江路1号")  // a street, not 平江区
        let jiangning = try parser.parse("南京江宁区双龙大道1号").get()
        #expect(jiangning.adcode == "320115" && jiangning.retired == nil)
        #expect(try parser.parse("南京市江宁县东山镇").get().retired?.name == "江宁县")
    }

    @Test func aSplitNameIsNoDistrictOfTheRecord() throws {
        let record = try RecordNormalizerTests().normalizer().normalize(
            SourceRecord(
                locator: .line(2),
                values: ["KH1", "张伟", "13800138000", "", "", "浙江省杭州市江干区景芳路1号", "", "", ""])
        ).get()
        #expect(record[.city] == "杭州市" && record[.district] == nil)
        #expect(record.refusals.contains(FieldRefusal(field: "address", reason: "split_district")))
    }

    /// The table itself: every successor is a division in force, no retired name is still a
    /// division of its city, years in order.
    @Test func theTableHolds() {
        let gazetteer = Gazetteer.shared
        #expect(gazetteer.retired.count > 100)
        var lastYear = 0
        for entry in gazetteer.retired {
            let name = String(String.UnicodeScalarView(entry.name))
            #expect(entry.year >= lastYear && entry.year <= 2026, "\(name)")
            lastYear = entry.year
            for successor in entry.successors {
                #expect(gazetteer.divisions[Int(successor)].name != name, "\(name)")
            }
            let sameCity = gazetteer.divisions.filter { $0.level == .district && $0.city == entry.city && entry.city >= 0 }
            #expect(!sameCity.contains { $0.name == name }, "\(name) is still a division of its city")
        }
    }
}
