import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// WeCom (企业微信) group robot: a markdown message to the webhook URL, whose `key` is the secret;
/// a message that @-mentions people is a text message (`mentioned_mobile_list`).
struct WeComSink: AlertSink {
    let config: AlertConfig

    func request(for message: RobotMessage, now: Date) throws(AlertFailure) -> URLRequest {
        guard !message.mentions.isEmpty else {
            return try post(config.url, json: ["msgtype": "markdown", "markdown": ["content": message.markdown]])
        }
        // WeCom's markdown cannot mention by mobile: only a text message carries
        // mentioned_mobile_list, and shows markdown's heading marks as they are.
        let text = message.markdown.replacingOccurrences(of: "### ", with: "")
        return try post(
            config.url, json: ["msgtype": "text", "text": ["content": text, "mentioned_mobile_list": message.mentions]])
    }
}
