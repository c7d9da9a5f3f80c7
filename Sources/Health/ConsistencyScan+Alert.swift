import Foundation
import Transform

extension ConsistencyScan.Result {
    /// The alert of a snapshot above its limit: the systems, how many values differ per field,
    /// and a few customers as examples, names and phones masked (the message goes to a group).
    package func alert(systems: [String], limit: Double, strings: Strings, examples: Int = 3) -> RobotMessage {
        let names = systems.joined(separator: strings.listSeparator)
        let title = strings.consistencyTitle(names)
        let rate = String(format: "%.4f", self.rate)
        var lines = ["### " + title, "", strings.consistencyBody(sampled, differences.count, compared, rate, "\(limit)")]
        var perField: [(field: CanonicalField, count: Int)] = []
        for difference in differences {
            if let index = perField.firstIndex(where: { $0.field == difference.field }) {
                perField[index].count += 1
            } else {
                perField.append((difference.field, 1))
            }
        }
        lines += perField.map { "- " + strings.consistencyFieldLine(strings.field($0.field), $0.count) }
        if !differences.isEmpty {
            lines += ["", strings.consistencyExamples]
            for difference in differences.prefix(examples) {
                let values = difference.values.map {
                    "\($0.system)=\(difference.field == .phone ? maskedPhone($0.value) : $0.value)"
                }
                lines.append(
                    "- "
                        + strings.consistencyExample(
                            maskedName(difference.name), strings.field(difference.field), values.joined(separator: "; ")))
            }
        }
        return RobotMessage(title: title, markdown: lines.joined(separator: "\n"))
    }
}
