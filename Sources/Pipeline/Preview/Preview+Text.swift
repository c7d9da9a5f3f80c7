import Foundation

extension Preview {
    /// For a person at a terminal: per source, each record's outcome and why, then its mapped
    /// cells (column, raw value, field, normalized value) in aligned columns.
    package var text: String {
        var lines: [String] = []
        lines.append(
            storeExists
                ? "store \(Self.shown(store)) (read only)"
                : "store \(Self.shown(store)) does not exist yet: every keyed record would create a customer")
        for source in sources {
            lines.append("")
            let files = source.files.map { Self.shown($0.path) }.joined(separator: ", ")
            lines.append("\(source.system) (\(source.kind)) · \(files)")
            for file in source.files {
                if let batch = file.loadedBy {
                    lines.append(
                        "  \(Self.shown(file.path)) was loaded by batch \(batch): a run skips it unless --force; shown as a forced run reads it"
                    )
                }
                if let error = file.error { lines.append("  \(Self.shown(file.path)) cannot be read: \(error)") }
            }
            let columnWidth = min(source.records.flatMap(\.cells).map(\.column.displayWidth).max() ?? 8, 24)
            for record in source.records {
                lines.append("")
                var head =
                    "  \(record.locator)  \(record.sourceID.isEmpty ? "(no id)" : record.sourceID)  \(record.decision.rawValue.uppercased())"
                if let code = record.reasonCode { head += " \(code)" }
                if let key = record.customerKey { head += "  customer \(key.prefix(12))…" }
                lines.append(head)
                lines.append("      \(record.why)")
                for cell in record.cells where !cell.raw.isBlank {
                    let raw = Self.cut(cell.raw, to: 34)
                    let result =
                        cell.refused.map { "✗ \($0)" } ?? cell.value.map { value in
                            cell.detail.map { "\(value) (\($0))" } ?? value
                        } ?? "—"
                    lines.append(
                        "      " + Self.cut(cell.column, to: columnWidth).padded(to: columnWidth) + "  " + raw.padded(to: 34)
                            + "  → " + cell.field.padded(to: 19) + " " + Self.cut(result, to: 64))
                }
            }
            let counts = source.counts
            let parts = Decision.allCases.compactMap { decision in counts[decision].map { "\($0) \(decision.rawValue)" } }
            lines.append("")
            lines.append(
                "\(source.system): \(source.records.count) record\(source.records.count == 1 ? "" : "s"): "
                    + (parts.isEmpty ? "none" : parts.joined(separator: ", ")))
        }
        if sources.contains(where: { $0.counts[.pending] != nil }) {
            lines.append("")
            lines.append("Pending is judged against the store and the records shown: a run may still link a pending")
            lines.append("record, in its last pass, to a customer that a record not shown here makes.")
        }
        return lines.joined(separator: "\n")
    }

    /// A path relative to the working directory when it is below it.
    static func shown(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
    }

    /// One line of at most `width` columns: line breaks shown as ⏎, the rest cut with …
    static func cut(_ text: String, to width: Int) -> String {
        let line = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\r\n", with: "⏎")
            .replacingOccurrences(of: "\n", with: "⏎")
        guard line.displayWidth > width else { return line }
        var out = ""
        for character in line {
            if (out + String(character)).displayWidth > width - 1 { break }
            out.append(character)
        }
        return out + "…"
    }
}

extension Preview {
    /// For programs: one JSON object, keys sorted.
    package var json: String {
        struct SourceJSON: Encodable {
            var system: String
            var kind: String
            var files: [File]
            var records: [Record]
            var counts: [String: Int]
        }
        struct Document: Encodable {
            var pipeline: String
            var store: String
            var storeExists: Bool
            var sources: [SourceJSON]

            enum CodingKeys: String, CodingKey {
                case pipeline, store, sources
                case storeExists = "store_exists"
            }
        }
        let document = Document(
            pipeline: pipeline, store: store, storeExists: storeExists,
            sources: sources.map { source in
                SourceJSON(
                    system: source.system, kind: source.kind, files: source.files, records: source.records,
                    counts: Dictionary(uniqueKeysWithValues: source.counts.map { ($0.key.rawValue, $0.value) }))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
