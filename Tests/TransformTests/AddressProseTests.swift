import Testing

@testable import Transform

/// Prose before an address: the divisions are found where a cue (地址是, 寄到：, 公司在…) ends.
struct AddressProseTests {
    let parser = AddressParser()

    @Test(
        "the divisions start after the prose",
        arguments: [
            ("我家的地址是江苏淮安清江浦区健康西路100号", "320812", "健康西路100号"),
            ("寄到：上海市浦东新区世纪大道100号", "310115", "世纪大道100号"),
            ("收货地址:广东省深圳市南山区科苑路15号", "440305", "科苑路15号"),
            ("地址是北京市朝阳区建国路88号", "110105", "建国路88号"),
            ("公司在浙江省杭州市西湖区文三路90号", "330106", "文三路90号"),
            ("请寄往四川成都武侯区人民南路四段1号", "510107", "人民南路四段1号"),
            ("麻烦寄到 中国江苏省南京市鼓楼区中山路1号", "320106", "中山路1号"),
            ("【收货地址】福建省厦门市思明区湖滨南路1号", "350203", "湖滨南路1号"),
            ("收货人：张三 电话号码：13800138000 地址：湖北省武汉市洪山区珞喻路1037号", "420111", "珞喻路1037号"),
            ("我们公司位于山东省青岛市崂山区海尔路1号", "370212", "海尔路1号"),
        ])
    func prose(raw: String, adcode: String, detail: String) throws {
        let address = try parser.parse(raw).get()
        #expect(address.adcode == adcode)
        #expect(address.detail == detail)
    }

    /// A division named inside a sentence that announces no address is not read out of it; nor is
    /// one after text that is a street already.
    @Test(
        "prose that is no address stays refused",
        arguments: ["我去过北京很多次", "在北京出差", "客户说下周再联系", "人民路8号 住在南山花园", "科技园1号"])
    func noAddress(raw: String) {
        #expect(parser.parse(raw) == .failure(.unresolved))
    }

    /// Cue words inside the detail of an address that starts with its divisions stay detail.
    @Test(
        "cue words in the detail stay there",
        arguments: [
            ("江苏省南京市鼓楼区中山路1号 收货地址见备注", "320106", "中山路1号收货地址见备注"),
            ("广东省深圳市南山区科技园公司在3楼", "440305", "科技园公司在3楼"),
            ("上海市静安区南京西路1号(寄到前台)", "310106", "南京西路1号(寄到前台)"),
        ])
    func cueWordsInTheDetail(raw: String, adcode: String, detail: String) throws {
        let address = try parser.parse(raw).get()
        #expect(address.adcode == adcode)
        #expect(address.detail == detail)
    }
}
