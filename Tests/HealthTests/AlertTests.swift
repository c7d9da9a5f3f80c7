import Crypto
import Foundation
import LoopbackServer
import Testing

@testable import Health

let failing = AlertEvent(
    status: .fail, pipeline: "nightly", batchID: "0b7c1d2e-0000-4000-8000-000000000001", asOf: "2026-11-22T03:00:00+08:00",
    metrics: [
        MetricResult(name: .completeness, value: 0.18, threshold: Threshold(warn: 0.5, fail: 0.2)),
        MetricResult(name: .idMatch, value: 0.9155, threshold: Threshold(warn: 0.8, fail: 0.5)),
    ],
    systems: [("crm", 0.9706, 0.1471)],
    summaryJSON: #"{"batch_id":"0b7c1d2e-0000-4000-8000-000000000001","health":"fail"}"#)

func sink(
    _ kind: AlertSinkKind, _ url: String, secret: String? = nil, token: String? = nil, on: Set<HealthStatus> = [.fail],
    retries: Int = 0
) -> AlertConfig {
    AlertConfig(kind: kind, url: url, secret: secret, token: token, on: on, timeout: 2, retries: retries, backoff: 0.05)
}

func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct AlertTests {
    /// The vector is Python's: base64(hmac.new(secret, f"{ts}\n{secret}", sha256)), quote_plus'd.
    @Test func dingTalkSignatureMatchesTheDocumentedRecipe() {
        #expect(
            DingTalkSink.sign(secret: "SEC0123456789abcdef", timestamp: 1_763_751_600_000)
                == "rUdugKm%2BHBrCaNtTqrx8bURFFmv0%2BG6kgsOl75DSVUo%3D")
    }

    @Test(arguments: [
        (
            "https://oapi.dingtalk.com/robot/send?access_token=abc123", AlertSinkKind.dingtalk,
            "https://oapi.dingtalk.com/robot/send?access_token=***"
        ),
        (
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6", .wecom,
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
        ),
        ("https://user:pw@hooks.example.com:8443/services/T0/B0/XYZ", .webhook, "https://hooks.example.com:8443/***"),
        ("not a url", .webhook, "(invalid URL)"),
    ])
    func targetsAreMasked(url: String, kind: AlertSinkKind, masked: String) {
        #expect(sink(kind, url).maskedTarget == masked)
    }

    @Test func dingTalkPostsASignedMarkdownMessage() throws {
        let server = try LoopbackServer()
        let secret = "SECdemo+/=secret"
        let before = Date()
        let outcome = Alerts.deliver(
            failing.message(.english), with: sink(.dingtalk, server.url + "/robot/send?access_token=TOKEN42", secret: secret))
        #expect(outcome.delivered && outcome.attempts == 1, "\(outcome)")
        let request = try #require(server.requests.first)
        let query = try #require(URLComponents(string: request.path)?.queryItems)
        func item(_ name: String) -> String? { query.first { $0.name == name }?.value }
        #expect(item("access_token") == "TOKEN42")
        // The robot's own check: recompute the signature from the timestamp it received.
        let timestamp = try #require(item("timestamp").flatMap(Int64.init))
        #expect(abs(Double(timestamp) / 1000 - before.timeIntervalSince1970) < 60)
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp)\n\(secret)".utf8),
            using: SymmetricKey(data: Data(secret.utf8)))
        #expect(item("sign") == Data(mac).base64EncodedString())
        let body = try json(request.body)
        #expect(body["msgtype"] as? String == "markdown")
        let markdown = try #require(body["markdown"] as? [String: Any])
        #expect(markdown["title"] as? String == "crmbridge nightly: FAIL")
        let text = try #require(markdown["text"] as? String)
        #expect(text.contains("- completeness: 0.1800 **fail** (limit 0.2000)"))
        #expect(text.contains("- id_match: 0.9155 ok"))
        #expect(text.contains("crm: id_match 0.9706, sync_lag_24h 0.1471"))
        #expect(text.contains(failing.batchID))
    }

    @Test func weComPostsMarkdownContent() throws {
        let server = try LoopbackServer()
        let outcome = Alerts.deliver(failing.message(.english), with: sink(.wecom, server.url + "/cgi-bin/webhook/send?key=K-1"))
        #expect(outcome.delivered)
        let request = try #require(server.requests.first)
        #expect(request.path == "/cgi-bin/webhook/send?key=K-1")
        let body = try json(request.body)
        #expect(body["msgtype"] as? String == "markdown")
        #expect(((body["markdown"] as? [String: Any])?["content"] as? String)?.hasPrefix("### crmbridge nightly: FAIL") == true)
    }

    @Test func webhookPostsTheSummaryWithABearerToken() throws {
        let server = try LoopbackServer(reply: "")
        let outcome = Alerts.deliver(failing.message(.english), with: sink(.webhook, server.url + "/hook", token: "t0k3n"))
        #expect(outcome.delivered)
        let request = try #require(server.requests.first)
        #expect(request.headers["authorization"] == "Bearer t0k3n")
        #expect(request.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(try json(request.body)["health"] as? String == "fail")
    }

    @Test func retriesServerErrorsWithBackoffThenDelivers() throws {
        let server = try LoopbackServer(statuses: [503, 500, 200])
        let started = Date()
        let outcome = Alerts.deliver(failing.message(.english), with: sink(.wecom, server.url + "/send?key=K", retries: 3))
        #expect(outcome.delivered && outcome.attempts == 3)
        #expect(server.requests.count == 3)
        // Backoff 0.05 s, then 0.1 s.
        #expect(Date().timeIntervalSince(started) >= 0.15)
    }

    @Test func givesUpAfterTheLastRetryAndMasksTheToken() throws {
        let server = try LoopbackServer(statuses: [502])
        let outcome = Alerts.deliver(
            failing.message(.english),
            with: sink(
                .dingtalk, server.url + "/robot/send?access_token=SECRET-TOKEN",
                secret: "SECxyz", retries: 2))
        #expect(!outcome.delivered && outcome.attempts == 3 && server.requests.count == 3)
        #expect(outcome.error == "HTTP 502")
        #expect(!"\(outcome)".contains("SECRET-TOKEN") && !"\(outcome)".contains("SECxyz"))
    }

    @Test func aRefusedConnectionIsRetriedThenReported() {
        let url = "http://127.0.0.1:\(closedPort())/robot/send?access_token=SECRET-TOKEN"
        let outcome = Alerts.deliver(failing.message(.english), with: sink(.dingtalk, url, retries: 1))
        #expect(!outcome.delivered && outcome.attempts == 2)
        #expect(outcome.error == "connection refused")
        #expect(!"\(outcome)".contains("SECRET-TOKEN"))
    }

    @Test func aRobotErrorCodeIsAFailureWithoutRetry() throws {
        let server = try LoopbackServer(reply: #"{"errcode":310000,"errmsg":"sign not match"}"#)
        let outcome = Alerts.deliver(
            failing.message(.english), with: sink(.dingtalk, server.url + "/robot/send?access_token=T", retries: 2))
        #expect(!outcome.delivered && outcome.attempts == 1)
        #expect(outcome.error == "the robot refused the message (errcode 310000: sign not match)")
    }

    @Test func onlySinksConfiguredForTheStatusFire() throws {
        let server = try LoopbackServer()
        var warning = failing
        warning.status = .warn
        let outcomes = Alerts.send(
            warning, in: .en,
            to: [
                sink(.wecom, server.url + "/a?key=1"),
                sink(.wecom, server.url + "/b?key=2", on: [.warn, .fail]),
            ])
        #expect(outcomes.map(\.target) == ["\(server.url)/b?key=***"])
        #expect(server.requests.map(\.path) == ["/b?key=2"])
    }

    @Test func aBatchAlertReadsInChinese() {
        #expect(
            failing.message(.chinese)
                == RobotMessage(
                    title: "crmbridge nightly：失败",
                    markdown: """
                        ### crmbridge nightly：失败

                        - 完整率：0.1800 **失败**（阈值 0.2000）
                        - ID匹配率：0.9155 正常

                        - crm：ID匹配率 0.9706，24h同步滞后率 0.1471

                        批次 `0b7c1d2e-0000-4000-8000-000000000001` · 数据截至 2026-11-22T03:00:00+08:00
                        """, webhookJSON: failing.summaryJSON))
    }
}
