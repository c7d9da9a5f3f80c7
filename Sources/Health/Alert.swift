import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The chat robots and hooks an alert can go to (pipeline file: `alerts[].type`).
package enum AlertSinkKind: String, Sendable, CaseIterable, Codable {
    case dingtalk, wecom, webhook
}

/// One configured alert sink. `url`, `secret` and `token` come from `${VAR}` and are never
/// printed: messages show `maskedTarget` instead.
package struct AlertConfig: Sendable {
    package var kind: AlertSinkKind
    package var url: String
    /// DingTalk only: the robot's signing secret (security setting 加签).
    package var secret: String?
    /// webhook only: sent as `Authorization: Bearer TOKEN`.
    package var token: String?
    /// The statuses that fire this sink.
    package var on: Set<HealthStatus>
    /// Whether an anomaly in the metric history fires it too (`on: [anomaly]`).
    package var onAnomaly = false
    /// Seconds per attempt.
    package var timeout: TimeInterval
    /// Attempts after the first; the n-th retry waits `backoff · 2^(n−1)` seconds.
    package var retries: Int
    package var backoff: TimeInterval

    package init(
        kind: AlertSinkKind, url: String, secret: String? = nil, token: String? = nil, on: Set<HealthStatus>,
        timeout: TimeInterval, retries: Int, backoff: TimeInterval
    ) {
        self.kind = kind
        self.url = url
        self.secret = secret
        self.token = token
        self.on = on
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
    }

    func fires(for event: AlertEvent) -> Bool {
        on.contains(event.status) || (onAnomaly && !event.anomalies.isEmpty)
    }

    /// The URL with its query values, credentials and (for a generic webhook) its path hidden.
    package var maskedTarget: String { maskedURL(url, keepPath: kind != .webhook) }

    var sink: any AlertSink {
        switch kind {
        case .dingtalk: DingTalkSink(config: self)
        case .wecom: WeComSink(config: self)
        case .webhook: WebhookSink(config: self)
        }
    }

    /// Every secret string this sink holds, to scrub from messages.
    var secrets: [String] {
        var all = [url, secret, token].compactMap { $0 }.filter { !$0.isEmpty }
        for item in URLComponents(string: url)?.queryItems ?? [] {
            if let value = item.value, !value.isEmpty { all.append(value) }
        }
        return all
    }
}

/// What an alert says: the batch and its judged metrics; a generic webhook gets `summaryJSON`.
package struct AlertEvent: Sendable {
    package var status: HealthStatus
    package var pipeline: String
    package var batchID: String
    package var asOf: String
    package var metrics: [MetricResult]
    /// Per source system (id_match, sync_lag_24h), in the order the pipeline lists them.
    package var systems: [(name: String, idMatch: Double, syncLag24h: Double)]
    /// The run summary as `crmbridge run --json` prints it.
    package var summaryJSON: String
    /// The batch's metrics that left their baseline's band.
    package var anomalies: [AnomalyJudgement]

    package init(
        status: HealthStatus, pipeline: String, batchID: String, asOf: String, metrics: [MetricResult],
        systems: [(name: String, idMatch: Double, syncLag24h: Double)], summaryJSON: String,
        anomalies: [AnomalyJudgement] = []
    ) {
        self.status = status
        self.pipeline = pipeline
        self.batchID = batchID
        self.asOf = asOf
        self.metrics = metrics
        self.systems = systems
        self.summaryJSON = summaryJSON
        self.anomalies = anomalies
    }

    /// The message both chat robots render (their markdown subsets share these constructs).
    package func message(_ strings: Strings) -> RobotMessage {
        let state = status == .ok && !anomalies.isEmpty ? strings.anomalyHeadline : strings.statusHeadline(status)
        let title = strings.alertTitle(pipeline, state)
        var lines = ["### \(title)", ""]
        for metric in metrics {
            let limit = metric.status == .fail ? metric.fail : metric.status == .warn ? metric.warn : nil
            let judged =
                metric.status == .ok
                ? strings.status(.ok)
                : "**\(strings.status(metric.status))**" + (limit.map { strings.alertLimit(ratio($0)) } ?? "")
            lines.append("- \(strings.labelled(strings.metric(metric.name)))\(ratio(metric.value)) \(judged)")
        }
        if !systems.isEmpty {
            lines.append("")
            for system in systems {
                lines.append("- " + strings.alertSystem(system.name, ratio(system.idMatch), ratio(system.syncLag24h)))
            }
        }
        if !anomalies.isEmpty {
            lines.append("")
            lines += anomalies.map { "- " + strings.labelled(strings.anomaly) + $0.line(strings) }
        }
        lines += ["", strings.alertBatch(batchID, asOf)]
        return RobotMessage(title: title, markdown: lines.joined(separator: "\n"), webhookJSON: summaryJSON)
    }

    private func ratio(_ value: Double) -> String { String(format: "%.4f", value) }
}

/// What a chat robot receives. `mentions` are mobiles to @-mention: people's numbers, never
/// printed or logged.
package struct RobotMessage: Sendable, Equatable {
    package var title: String
    package var markdown: String
    package var mentions: [String]
    /// What a generic webhook receives instead; nil: the message is for chat robots only.
    package var webhookJSON: String?

    package init(title: String, markdown: String, mentions: [String] = [], webhookJSON: String? = nil) {
        self.title = title
        self.markdown = markdown
        self.mentions = mentions
        self.webhookJSON = webhookJSON
    }
}

/// How the delivery to one sink ended.
package struct AlertOutcome: Sendable, Codable, Equatable {
    package var sink: String
    /// The masked URL.
    package var target: String
    package var delivered: Bool
    package var attempts: Int
    /// Why the last attempt failed, secrets masked.
    package var error: String?
}

/// One sink's wire format.
protocol AlertSink: Sendable {
    var config: AlertConfig { get }
    /// The request for `message`, built per attempt (DingTalk signs the current time).
    func request(for message: RobotMessage, now: Date) throws(AlertFailure) -> URLRequest
}

extension AlertSink {
    /// A JSON POST to `url` with the sink's timeout.
    func post(_ url: String, json: Any, headers: [String: String] = [:]) throws(AlertFailure) -> URLRequest {
        guard let target = URL(string: url), let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw AlertFailure(message: "the URL is not an http(s) URL", retryable: false)
        }
        var request = URLRequest(url: target, timeoutInterval: config.timeout)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return request
    }
}

/// Why one attempt failed; `retryable` for timeouts, refused connections, HTTP 429 and 5xx.
struct AlertFailure: Error {
    var message: String
    var retryable: Bool
}

/// What one sink would be sent, as `crmbridge test` compares it: the robots' markdown, or the
/// status alone for a generic webhook (its body is the run summary, timings included).
package struct AlertPayload: Sendable, Equatable {
    package var sink: AlertSinkKind
    package var status: HealthStatus
    /// The markdown a robot renders; nil for a webhook.
    package var text: String?
}

package enum Alerts {
    /// The payloads `send` would deliver for `event`, without sending anything.
    package static func payloads(_ event: AlertEvent, in language: Language, to configs: [AlertConfig]) -> [AlertPayload] {
        let message = event.message(language.strings)
        return configs.filter { $0.fires(for: event) }.map {
            AlertPayload(sink: $0.kind, status: event.status, text: $0.kind == .webhook ? nil : message.markdown)
        }
    }

    /// Sends `event` to every sink configured for its status, each with bounded retries and
    /// exponential backoff. Never throws: a sink that cannot be reached is an outcome, so that
    /// alerting can never break a batch (the runner sends after the commit).
    package static func send(_ event: AlertEvent, in language: Language, to configs: [AlertConfig]) -> [AlertOutcome] {
        let message = event.message(language.strings)
        return configs.filter { $0.fires(for: event) }.map { deliver(message, with: $0) }
    }

    package static func deliver(_ message: RobotMessage, with config: AlertConfig) -> AlertOutcome {
        let sink = config.sink
        var attempts = 0
        var lastError = ""
        while attempts <= max(0, config.retries) {
            if attempts > 0 { Thread.sleep(forTimeInterval: config.backoff * pow(2, Double(attempts - 1))) }
            attempts += 1
            do throws(AlertFailure) {
                try exchange(sink.request(for: message, now: Date()), timeout: config.timeout)
                return AlertOutcome(
                    sink: config.kind.rawValue, target: config.maskedTarget, delivered: true,
                    attempts: attempts, error: nil)
            } catch {
                lastError = scrub(error.message, secrets: config.secrets + message.mentions)
                if !error.retryable { break }
            }
        }
        return AlertOutcome(
            sink: config.kind.rawValue, target: config.maskedTarget, delivered: false, attempts: attempts,
            error: lastError)
    }

    /// One HTTP exchange. A 2xx reply whose JSON carries a non-zero `errcode` (DingTalk, WeCom:
    /// a bad signature or token still answers 200) is a failure too.
    static func exchange(_ request: URLRequest, timeout: TimeInterval) throws(AlertFailure) {
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let done = DispatchSemaphore(value: 0)
        let reply = Reply()
        session.dataTask(with: request) { data, response, error in
            reply.set(data, response as? HTTPURLResponse, error)
            done.signal()
        }.resume()
        // The request's own timeout normally fires first; this bounds a stalled transfer.
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            throw AlertFailure(message: "no reply within \(Int(timeout)) s", retryable: true)
        }
        let (data, response, error) = reply.get()
        if let error { throw AlertFailure(message: describe(error, timeout: timeout), retryable: true) }
        guard let response else { throw AlertFailure(message: "no HTTP response", retryable: true) }
        guard (200..<300).contains(response.statusCode) else {
            let retry = response.statusCode == 429 || response.statusCode >= 500
            throw AlertFailure(message: "HTTP \(response.statusCode)", retryable: retry)
        }
        if let data, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let code = (object["errcode"] as? NSNumber)?.intValue, code != 0
        {
            let message = (object["errmsg"] as? String).map { ": \($0.prefix(200))" } ?? ""
            throw AlertFailure(message: "the robot refused the message (errcode \(code)\(message))", retryable: false)
        }
    }

    /// Foundation's descriptions quote the URL, and with it the token: say what happened instead.
    private static func describe(_ error: any Error, timeout: TimeInterval) -> String {
        switch (error as? URLError)?.code {
        case .timedOut?: "timed out after \(Int(timeout)) s"
        case .cannotConnectToHost?: "connection refused"
        case .cannotFindHost?, .dnsLookupFailed?: "unknown host"
        case .networkConnectionLost?: "connection lost"
        case .secureConnectionFailed?, .serverCertificateUntrusted?: "TLS handshake failed"
        case let code?: "network error \(code.rawValue)"
        case nil: "network error"
        }
    }
}

/// The reply of a data task, handed from URLSession's queue to the waiting thread.
private final class Reply: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, HTTPURLResponse?, (any Error)?) = (nil, nil, nil)

    func set(_ data: Data?, _ response: HTTPURLResponse?, _ error: (any Error)?) {
        lock.withLock { value = (data, response, error) }
    }

    func get() -> (Data?, HTTPURLResponse?, (any Error)?) { lock.withLock { value } }
}

/// `scheme://host[:port]/path?name=***`; with `keepPath` false the path becomes `/***` too.
func maskedURL(_ url: String, keepPath: Bool) -> String {
    guard let parts = URLComponents(string: url), let scheme = parts.scheme, let host = parts.host else { return "(invalid URL)" }
    var masked = "\(scheme)://\(host)" + (parts.port.map { ":\($0)" } ?? "")
    if keepPath { masked += parts.path } else if !parts.path.isEmpty && parts.path != "/" { masked += "/***" }
    if let items = parts.queryItems, !items.isEmpty {
        masked += "?" + items.map { "\($0.name)=***" }.joined(separator: "&")
    }
    return masked
}

/// Replaces every occurrence of a secret, longest first, by `***`.
func scrub(_ message: String, secrets: [String]) -> String {
    secrets.sorted { $0.count > $1.count }.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
}
