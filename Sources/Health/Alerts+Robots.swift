import Foundation

extension Alerts {
    /// DingTalk robots take at most 20 messages a minute (WeCom's as many): one every 3 seconds.
    package static let robotInterval: TimeInterval = 3

    /// Sends `messages` in order to every chat robot among `configs` (a generic webhook takes
    /// run summaries only), `interval` seconds apart per robot, each with the usual retries.
    /// Never throws: an undelivered message is an outcome, and never changes a scan's result.
    package static func send(_ messages: [RobotMessage], to configs: [AlertConfig], interval: TimeInterval) -> [AlertOutcome] {
        var outcomes: [AlertOutcome] = []
        for config in configs where config.kind != .webhook {
            for (index, message) in messages.enumerated() {
                if index > 0 { Thread.sleep(forTimeInterval: interval) }
                outcomes.append(deliver(message, with: config))
            }
        }
        return outcomes
    }
}
