import Foundation
import Load

package enum HistoryFormat: String, Sendable, CaseIterable {
    case text, json
}

extension CustomerHistory {
    /// One line per entry: when, what, from which source record, in which batch.
    package var text: String {
        var lines = ["customer \(customerKey)"]
        for entry in entries {
            let origin = "\(entry.sourceSystem) \(entry.sourceID) · batch \(entry.batchID)"
            switch entry.kind {
            case .created:
                lines.append("\(entry.at)  created from \(origin)")
                for (field, value) in (entry.values ?? [:]).sorted(by: { $0.key < $1.key }) {
                    lines.append("    \(field): \(value)")
                }
            case .changed:
                lines.append(
                    "\(entry.at)  \(entry.field ?? "?"): \(Self.show(entry.oldValue)) → \(Self.show(entry.newValue))  (\(origin))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `{"customer_key": …, "entries": [{"kind": "created" | "changed", …}]}` (docs/health.md).
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    private static func show(_ value: String?) -> String { value.map { "“\($0)”" } ?? "(empty)" }
}
