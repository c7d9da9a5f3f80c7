import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A generic webhook: the run summary (as `crmbridge run --json` prints it) as a JSON POST,
/// with `Authorization: Bearer TOKEN` when a token is set.
struct WebhookSink: AlertSink {
    let config: AlertConfig

    func request(for message: RobotMessage, now: Date) throws(AlertFailure) -> URLRequest {
        let summary = (try? JSONSerialization.jsonObject(with: Data((message.webhookJSON ?? "{}").utf8))) ?? [String: Any]()
        var headers: [String: String] = [:]
        if let token = config.token, !token.isEmpty { headers["Authorization"] = "Bearer \(token)" }
        return try post(config.url, json: summary, headers: headers)
    }
}
