import Foundation

/// Every batch of the history judged as if it had just run: which would have alerted.
package enum AnomalyBacktest {
    package static func text(_ judged: [BatchAnomalies], options: AnomalyOptions) -> String {
        var lines = [
            String(
                format:
                    "backtest of %d batches: baseline of %d batches (at least %d), sensitivity %.2f, floor %.4f (counts: %.0f%% or %.0f rows)",
                judged.count, options.window, options.minimum, options.sensitivity, options.floor, options.relativeFloor * 100,
                options.countFloor)
        ]
        let alerted = judged.filter { !$0.anomalies.isEmpty }
        for batch in alerted {
            lines.append("ALERT \(batch.asOf) batch \(batch.batchID)\(batch.fails ? " (fails: exit 3)" : "")")
            lines += batch.anomalies.map { "  " + $0.line(.english) }
        }
        let learning = judged.filter { !$0.holiday && !$0.judged }.count
        let holidays = judged.filter(\.holiday).count
        lines.append(
            "\(alerted.count) of \(judged.count) batches would have alerted (\(learning) still learning, \(holidays) on holidays)"
        )
        return lines.joined(separator: "\n")
    }
}
