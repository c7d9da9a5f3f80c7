import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// WeCom (企业微信) group robot: a markdown message to the webhook URL, whose `key` is the secret.
struct WeComSink: AlertSink {
    let config: AlertConfig

    func request(for event: AlertEvent, now: Date) throws(AlertFailure) -> URLRequest {
        try post(config.url, json: ["msgtype": "markdown", "markdown": ["content": event.markdown]])
    }
}
