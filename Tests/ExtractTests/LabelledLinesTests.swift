import Testing

@testable import Extract

/// Form answers as the form tools and WeChat menus write them: `Content#LABEL|LABEL` takes the
/// first non-empty answer whose label is one of those, whatever the layout.
@Suite struct LabelledLinesTests {
    @Test(
        "one answer per line",
        arguments: [
            ("姓名：张伟\n手机：13800138000", ["手机"], "13800138000"),
            ("姓名:张伟\r\n手机:13800138000\r\n", ["手机"], "13800138000"),
            ("姓名=张伟\n手机=13800138000", ["手机"], "13800138000"),
            ("姓名＝张伟\n手机＝13800138000", ["手机"], "13800138000"),
            ("  手机 :  138  ", ["手机"], "138"),
            ("手机 ＝ 138 0013 8000", ["手机"], "138 0013 8000"),
            ("手机号：139\n手机：138", ["手机"], "138"),
            ("电话：010-1\n手机：138", ["手机", "电话"], "010-1"),
            ("联系人2：李四", ["联系人2"], "李四"),
            ("Mobile Phone: 13800138000", ["Mobile Phone"], "13800138000"),
            ("Mobile Phone: 13800138000", ["Phone"], "13800138000"),
            ("姓名：张伟\u{2028}手机：138", ["手机"], "138"),
            // A stray byte order mark is blank: a value of only one is no value.
            ("姓名：\u{FEFF}\r\n手机：138", ["姓名"], ""),
            ("手机：\u{FEFF}138\u{FEFF}", ["手机"], "138"),
        ])
    func linePerAnswer(text: String, labels: [String], value: String) {
        #expect(labelledValue(in: text, labels: labels) == value)
    }

    static let oneLine = "姓名：张伟；手机：13800138000；公司：某某科技"

    @Test(
        "several answers on one line",
        arguments: [
            (oneLine, ["姓名"], "张伟"),
            (oneLine, ["手机"], "13800138000"),
            (oneLine, ["公司"], "某某科技"),
            ("姓名=张伟;手机=13800138000;公司=某某科技", ["手机"], "13800138000"),
            ("姓名＝张伟｜手机＝13800138000｜公司＝某某科技", ["公司"], "某某科技"),
            ("姓名: 张伟 | 手机: 13800138000 | 公司: 某某科技", ["手机"], "13800138000"),
            ("姓名：张伟，手机：13800138000，公司：某某科技", ["手机"], "13800138000"),
            ("姓名:张伟,手机:13800138000", ["姓名"], "张伟"),
            ("姓名：张伟\t手机：13800138000\t公司：某某科技", ["公司"], "某某科技"),
            ("姓名\t张伟\t手机：138", ["手机"], "138"),
            ("手机：138；", ["手机"], "138"),
            ("手机：138；；；", ["手机"], "138"),
            ("姓名：张伟　手机：138", ["手机"], "138"),  // an ideographic space
            // A separator that no label follows belongs to the value.
            ("需求：价格，交付时间\n手机：138", ["需求"], "价格，交付时间"),
            ("需求：价格；交付时间；手机：138", ["需求"], "价格；交付时间"),
        ])
    func severalPerLine(text: String, labels: [String], value: String) {
        #expect(labelledValue(in: text, labels: labels) == value)
    }

    static let spaced = "手机：138 0013 8000 公司：某某 姓名 ：张伟"

    @Test(
        "blanks as the only separator",
        arguments: [
            (spaced, ["手机"], "138 0013 8000"),
            (spaced, ["公司"], "某某"),
            (spaced, ["姓名"], "张伟"),
            ("需求：想了解价格 来源：公众号菜单 手机：138", ["需求"], "想了解价格"),
            // Values that hold a colon stay whole: times, URLs, digits before it.
            ("备注：周六 14:33 到访 手机：138", ["备注"], "周六 14:33 到访"),
            ("时间：10:30", ["时间"], "10:30"),
            ("网址：http://example.com/a?b=1 手机：138", ["网址"], "http://example.com/a?b=1"),
            ("网址：https://example.com:8443/x 手机：138", ["网址"], "https://example.com:8443/x"),
            ("手机：138 0013 8000 转 2:30后打", ["手机"], "138 0013 8000 转 2:30后打"),
            // After blanks alone, a label has no digits and at most 16 characters.
            ("姓名：张伟 联系人2：李四", ["姓名"], "张伟 联系人2：李四"),
            ("备注：见 一二三四五六七八九十一二三四五六七：后", ["备注"], "见 一二三四五六七八九十一二三四五六七：后"),
        ])
    func blanksOnly(text: String, labels: [String], value: String) {
        #expect(labelledValue(in: text, labels: labels) == value)
    }

    @Test(
        "titles and lines that are no answer",
        arguments: [
            ("【预约演示】\n来源：公众号菜单\n姓名：张伟", ["姓名"], "张伟"),
            ("【预约演示】\n来源：公众号菜单\n姓名：张伟", ["来源"], "公众号菜单"),
            ("【预约演示】姓名：张伟；手机：138", ["姓名"], "张伟"),
            ("【预约演示】 姓名：张伟", ["姓名"], "张伟"),
            ("预约演示 姓名：张伟", ["姓名"], "张伟"),
            ("你好，在吗？\n手机：138", ["手机"], "138"),
            ("https://example.com/form\n手机：138", ["https"], ""),
            ("14:33 到访", ["14"], ""),
            ("手机\n138", ["手机"], ""),
            ("", ["手机"], ""),
            ("：138", ["手机"], ""),
            ("姓名：张伟", ["手机"], ""),
            // An empty answer gives way to a later one.
            ("手机：\n电话：010-1", ["手机", "电话"], "010-1"),
            ("手机：；公司：某某", ["手机"], ""),
            ("手机：；公司：某某", ["公司"], "某某"),
            ("手机： \n手机：138", ["手机"], "138"),
            ("备注：见【附件】", ["备注"], "见【附件】"),
        ])
    func titlesAndNoise(text: String, labels: [String], value: String) {
        #expect(labelledValue(in: text, labels: labels) == value)
    }

    @Test func parsesLabelledColumns() {
        let labelled = LabelledPath("Content#手机|电话")
        #expect(labelled.base == "Content" && labelled.labels == ["手机", "电话"])
        #expect(LabelledPath("Content").labels == nil)
        #expect(LabelledPath("a#").base == "a#" && LabelledPath("a#").labels == nil)
        // A # inside a JSON selector is part of the path.
        #expect(LabelledPath("answers[label=#1].value").labels == nil)
        #expect(LabelledPath("answers[label=#1].value#手机").base == "answers[label=#1].value")
    }

    /// One walk for several columns (the XML reader's) answers each as its own walk does, on texts
    /// of random answers: repeated labels, empty values, separators, titles, labels within labels.
    @Test func severalColumnsInOneWalkAnswerAsEachAlone() {
        let paths = ["Content#姓名", "Content#手机|电话", "Content#公司", "Content#电话", "Content#地区|城市"].map(LabelledPath.init)
        let pieces = [
            "姓名：", "手机：", "电话=", "公司:", "地区：", "城市 ", "预约 姓名：", "【预约】", "张伟", "13800138000", "某某有限公司",
            "\n", "；", " ", "，", "14:33", "http://a.cn", "",
        ]
        var random = SplitMix64(seed: 20)
        for _ in 0..<2_000 {
            let text = (0..<random.below(14)).map { _ in pieces[random.below(pieces.count)] }.joined()
            #expect(
                labelledValues(in: text, labelSets: paths.map(\.labelBytes)) == paths.map { $0.value(from: text) },
                "\(text.debugDescription)")
        }
    }
}
