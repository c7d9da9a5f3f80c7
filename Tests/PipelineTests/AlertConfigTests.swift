import Foundation
import Testing

@testable import Health
@testable import Pipeline

@Suite struct AlertConfigTests {
    let environment = ["SECRET": "s3cret", "HOOK": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN-1", "SIGN": "SEC-2"]

    @Test func readsSinksWithTheSchemaDefaults() throws {
        let config = try parse(
            valid + """

                alerts:
                  - type: dingtalk
                    url: ${HOOK}
                    secret: ${SIGN}
                  - type: webhook
                    url: https://hooks.example.com/crm
                    token: t
                    on: [warn, fail]
                    retries: 5
                """, environment: environment)
        #expect(config.alerts.count == 2)
        let dingtalk = config.alerts[0]
        #expect(dingtalk.kind == .dingtalk && dingtalk.url == environment["HOOK"] && dingtalk.secret == "SEC-2")
        #expect(dingtalk.on == [.fail] && dingtalk.timeout == 5 && dingtalk.retries == 2 && dingtalk.backoff == 1)
        #expect(config.alerts[1].on == [.warn, .fail] && config.alerts[1].retries == 5 && config.alerts[1].token == "t")
    }

    @Test func keysOfAnotherSinkTypeAndBadURLsAreIssuesThatNeverShowTheURL() {
        let found = issues(
            valid + """

                alerts:
                  - type: wecom
                    url: ftp://files.example.com/?key=LEAKED
                    secret: x
                  - type: slack
                    url: https://x
                """, environment: environment)
        #expect(found.contains { $0.contains("'secret' is for dingtalk alerts only") })
        #expect(found.contains { $0.contains("url is not an http(s) URL") })
        #expect(found.contains { $0.contains("'slack', expected one of dingtalk, wecom, webhook") })
        #expect(!found.joined().contains("LEAKED"))
    }
}
