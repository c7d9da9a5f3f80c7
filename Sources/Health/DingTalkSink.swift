import Crypto
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// DingTalk custom robot (自定义机器人): a markdown message, @-mentioning through `at.atMobiles`. With a `secret` (security setting
/// 加签) every request carries `timestamp` (ms) and `sign`, which the robot checks within an hour.
struct DingTalkSink: AlertSink {
    let config: AlertConfig

    func request(for message: RobotMessage, now: Date) throws(AlertFailure) -> URLRequest {
        var url = config.url
        if let secret = config.secret, !secret.isEmpty {
            let timestamp = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
            url +=
                (url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(Self.sign(secret: secret, timestamp: timestamp))"
        }
        var body: [String: Any] = ["msgtype": "markdown", "markdown": ["title": message.title, "text": message.markdown]]
        if !message.mentions.isEmpty {
            // A markdown message notifies only the mobiles its text also names as @mobile (the
            // robot shows the person's name there).
            let named = message.mentions.map { "@\($0)" }.joined(separator: " ")
            body["markdown"] = ["title": message.title, "text": message.markdown + "\n\n" + named]
            body["at"] = ["atMobiles": message.mentions, "isAtAll": false]
        }
        return try post(url, json: body)
    }

    /// URL-encoded Base64(HMAC-SHA256(secret, "\(timestamp)\n\(secret)")), as DingTalk documents.
    static func sign(secret: String, timestamp: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp)\n\(secret)".utf8),
            using: SymmetricKey(data: Data(secret.utf8)))
        let base64 = Data(code).base64EncodedString()
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return base64.addingPercentEncoding(withAllowedCharacters: unreserved)!
    }
}
