import Foundation
import Testing

@Suite struct XMLSourceTests {
    /// A pipeline of one WeChat source, `wechat.xml`, into `wechat.sqlite`; `rest`: the source's
    /// rules and fields, indented as its keys.
    static func pipeline(_ scratch: URL, _ rest: String) throws -> URL {
        try EndToEndTests.pipeline(
            scratch,
            """
            pipeline: wechat-forms
            store: sqlite:wechat.sqlite
            key: {demo: true}
            sources:
              - system: wechat
                path: wechat.xml
                format: xml
                id: MsgId
                updated_at: CreateTime

            """ + rest)
    }

    @Test func runsAWeChatPushesSource() throws {
        let scratch = try CLI.scratch()
        let pushes = """
            <?xml version="1.0" encoding="UTF-8"?>
            <pushes account="gh_5f3a9c2e1b7d">
            <xml>
              <ToUserName><![CDATA[gh_5f3a9c2e1b7d]]></ToUserName>
              <FromUserName><![CDATA[oWDev8R17VFvLCoSDHXQmlNU0Tlo]]></FromUserName>
              <CreateTime>1795283567</CreateTime>
              <MsgType><![CDATA[text]]></MsgType>
              <Content><![CDATA[【在线留资】
            姓名：张伟
            税号:91440300MA5FXT4K8N
            手机：138 0013 8000
            需求：预算<5万 & 尽快]]></Content>
              <MsgId>6234798578157061461</MsgId>
            </xml>
            <xml>
              <ToUserName><![CDATA[gh_5f3a9c2e1b7d]]></ToUserName>
              <FromUserName><![CDATA[ofgTb--M3-EThRqkVY5X-prw3o4r]]></FromUserName>
              <CreateTime>1795248300</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[subscribe]]></Event>
            </xml>
            <xml>
              <ToUserName><![CDATA[gh_5f3a9c2e1b7d]]></ToUserName>
              <FromUserName><![CDATA[o7aCjCk3D_Dxegj5eaYur8Y76aD0]]></FromUserName>
              <CreateTime>1795248300</CreateTime>
              <MsgType><![CDATA[text]]></MsgType>
              <Content><![CDATA[你好，在吗？]]></Content>
              <MsgId>4977760389401960208</MsgId>
            </xml>
            <xml></xml>
            </pushes>

            """
        try pushes.write(to: scratch.appendingPathComponent("wechat.xml"), atomically: true, encoding: .utf8)
        let file = try Self.pipeline(
            scratch,
            """
                where:
                  - {column: MsgType, equals: text}
                fields:
                  name: Content#姓名
                  phone: Content#手机|电话
                  tax_id: Content#税号|统一社会信用代码
            """)
        let summary = try CLI.checkAndRun(file)
        #expect(summary.overall.read == 4)
        #expect(summary.overall.read == summary.overall.merged + summary.overall.pending + summary.overall.rejected)
        #expect(summary.overall.merged == 1)

        let store = scratch.appendingPathComponent("wechat.sqlite")
        let rejects = parseCSV(try CLI.export("rejects", store: store, to: scratch))
        #expect(
            Set(rejects.map { "\($0["locator"] ?? "") \($0["reason_code"] ?? "")" })
                == ["line 15 filtered", "line 22 empty_row", "line 30 empty_row"])

        let master = parseCSV(try CLI.export("master", store: store, to: scratch))
        #expect(master.count == 1)
        #expect(master.first?["phone_e164"] == "+8613800138000")
        #expect(master.first?["tax_id"] == "91440300MA5FXT4K8N")
        #expect(master.first?["name"] == "张伟")
    }

    /// Bytes that are no GBK character make libxml2 stop and print its own "encoding error"
    /// lines, quoting the bytes. The run reports them once, as a reject at their line, and
    /// nothing of libxml2's reaches stderr (`run` and `check` alike).
    @Test func undecodableBytesAreOneRejectAndNoLibxml2Output() throws {
        let scratch = try CLI.scratch()
        func push(_ id: Int, _ name: String) -> String {
            """
            <xml><MsgType>text</MsgType><MsgId>\(id)</MsgId><CreateTime>1795283567</CreateTime>
            <Content>姓名：\(name)
            手机：1380013800\(id)</Content></xml>

            """
        }
        let head = "<?xml version=\"1.0\" encoding=\"GBK\"?>\n<pushes>\n" + push(1, "张伟") + push(2, "李娜")
        let encoded = try #require(head.data(using: .init(rawValue: 0x8000_0632)))  // GB 18030
        let bytes = [UInt8](encoded) + [0x81, 0x20] + Array((push(3, "lost") + "</pushes>\n").utf8)
        try Data(bytes).write(to: scratch.appendingPathComponent("wechat.xml"))
        let file = try Self.pipeline(
            scratch,
            """
                fields:
                  name: Content#姓名
                  phone: Content#手机
            """)
        let check = try CLI.run(["check", file.path])
        #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stdout)\(check.stderr)")
        let run = try CLI.run(["run", file.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty, "libxml2 wrote: \(run.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(run.stdout.utf8))
        // A phone without a tax ID waits for its customer: the two records before the bytes are read.
        #expect(summary.overall.pending == 2)
        #expect(summary.overall.rejected == 1)
        #expect(summary.overall.read == summary.overall.merged + summary.overall.pending + summary.overall.rejected)

        let rejects = parseCSV(try CLI.export("rejects", store: scratch.appendingPathComponent("wechat.sqlite"), to: scratch))
        #expect(rejects.map { $0["reason_code"] } == ["bad_encoding"])
    }
}
