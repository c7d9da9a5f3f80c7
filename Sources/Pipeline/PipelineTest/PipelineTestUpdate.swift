import Foundation

/// `crmbridge test --update`: each test's `expect:` block rewritten from what its run produced,
/// the rest of the file (comments, inputs, layout) left as it was, for a reviewer to diff.
/// Each block keeps the expectations it had and their columns; a list of master rows that is
/// not `only` keeps its rows, each rewritten from the customer it matches or is nearest to.
package enum PipelineTestUpdate {
    package static func rewrite(_ file: PipelineTestFile, results: [PipelineTestResult]) -> String {
        var lines = file.text.components(separatedBy: "\n")
        // From the last test up, so that the line numbers of the ones above stay right.
        for (test, result) in zip(file.tests, results).reversed() {
            guard let outcome = result.outcome, let block = block(at: test.expect.line, in: lines) else { continue }
            let indent = String(repeating: " ", count: block.indent)
            let body = expectLines(test.expect, outcome, comments: comments(in: lines, block.range)).map { indent + "  " + $0 }
            // The key's line keeps what precedes the key: `- ` when expect: opens the test.
            let key = String(lines[block.range.lowerBound].prefix(block.indent)) + "expect:"
            lines.replaceSubrange(block.range, with: [key] + body)
        }
        return lines.joined(separator: "\n")
    }

    /// The trailing comments of the block's one-line rows (`- {…}  # why`), by line (1-based).
    private static func comments(in lines: [String], _ range: ClosedRange<Int>) -> [Int: String] {
        var comments: [Int: String] = [:]
        for index in range {
            let line = lines[index]
            guard line.drop(while: { $0 == " " }).hasPrefix("- {"), let close = line.lastIndex(of: "}") else { continue }
            let rest = line[line.index(after: close)...]
            if rest.trimmingCharacters(in: .whitespaces).hasPrefix("#") { comments[index + 1] = String(rest) }
        }
        return comments
    }

    /// The lines of the `expect:` key whose value starts on `line` (1-based), through the last
    /// line indented under it, and the key's indentation.
    private static func block(at line: Int, in lines: [String]) -> (range: ClosedRange<Int>, indent: Int)? {
        var key = min(line - 1, lines.count - 1)
        while key >= 0 {
            let trimmed = lines[key].drop { $0 == " " || $0 == "-" }
            if trimmed.hasPrefix("expect:") { break }
            key -= 1
        }
        guard key >= 0, let start = lines[key].range(of: "expect:") else { return nil }
        let indent = lines[key].distance(from: lines[key].startIndex, to: start.lowerBound)
        var end = key
        var next = key + 1
        while next < lines.count {
            let text = lines[next]
            let content = text.drop { $0 == " " }
            if !content.isEmpty && !content.hasPrefix("#") {
                guard text.count - content.count > indent else { break }
                end = next
            }
            next += 1
        }
        return (key...end, indent)
    }

    /// The expectations the block had, in its order (counts, rejects and metrics for an empty
    /// block), each from the outcome.
    private static func expectLines(_ expect: TestExpectations, _ outcome: TestOutcome, comments: [Int: String]) -> [String] {
        let keys = expect.keys.isEmpty ? ["counts", "rejects", "metrics"] : expect.keys
        return keys.flatMap { key -> [String] in
            switch key {
            case "counts": return ["counts: " + counts(expect.counts, outcome)]
            case "metrics": return ["metrics: " + metrics(expect.metrics, outcome)]
            case "master":
                guard let master = expect.master else { return [] }
                let rows =
                    master.exhaustive ? outcome.master.map { ($0, nil as ExpectedRow?) } : kept(master, from: outcome.master)
                let written = listLines(
                    rows, columns: TestOutcome.shownColumns(master, name: key), expected: master, comments: comments)
                guard master.exhaustive else { return ["master:" + written.head] + written.rows }
                return ["master:", "  only: true", "  rows:" + written.head] + written.rows.map { "  " + $0 }
            case "stale":
                guard let stale = expect.stale else { return [] }
                let written = list(stale, key: key, outcome, comments: comments)
                return ["stale:", "  days: \(expect.staleDays ?? 0)", "  customers:" + written.head]
                    + written.rows.map { "  " + $0 }
            default:
                let list: ExpectedList? =
                    switch key {
                    case "pending": expect.pending
                    case "rejects": expect.rejects
                    case "gaps": expect.gaps
                    default: expect.alerts
                    }
                let written = self.list(list, key: key, outcome, comments: comments)
                return ["\(key):" + written.head] + written.rows
            }
        }
    }

    /// An exhaustive list: every row of the run, with the columns the list used.
    private static func list(
        _ list: ExpectedList?, key: String, _ outcome: TestOutcome, comments: [Int: String]
    ) -> (head: String, rows: [String]) {
        let columns = list.map { TestOutcome.shownColumns($0, name: key) } ?? TestOutcome.defaultColumns[key] ?? []
        let rows = outcome.rows(key)
        // A row the file listed keeps its comment when the run still has it.
        let listed = rows.map { row in list?.rows.first { TestOutcome.matches($0, row) } }
        return listLines(Array(zip(rows, listed)), columns: columns, expected: list, comments: comments)
    }

    private static func counts(_ expected: [ExpectedCount], _ outcome: TestOutcome) -> String {
        var overall = expected.filter { $0.system == nil }.map(\.name)
        var systems: [String] = []
        for count in expected { if let system = count.system, !systems.contains(system) { systems.append(system) } }
        if overall.isEmpty && systems.isEmpty { overall = ["read", "merged", "pending", "rejected"] }
        var pairs = overall.map { "\($0): \(outcome.counts[""]?[$0] ?? 0)" }
        for system in systems {
            let names = expected.filter { $0.system == system }.map(\.name)
            pairs.append(
                "\(YAMLText.scalar(system)): {"
                    + names.map { "\($0): \(outcome.counts[system]?[$0] ?? 0)" }.joined(separator: ", ")
                    + "}")
        }
        return "{" + pairs.joined(separator: ", ") + "}"
    }

    private static func metrics(_ expected: [ExpectedMetric], _ outcome: TestOutcome) -> String {
        let written =
            expected.isEmpty
            ? ["completeness", "id_match", "sync_lag_24h"].map { ($0, nil as Double?) }
            : expected.map { ($0.name, $0.toleranceWritten ? $0.tolerance : nil) }
        let pairs = written.compactMap { name, tolerance -> String? in
            guard let value = outcome.metrics[name] else { return nil }
            let number = TestOutcome.number((value * 10_000).rounded() / 10_000)
            return "\(YAMLText.scalar(name)): " + (tolerance.map { "\(number) ±\(TestOutcome.number($0))" } ?? number)
        }
        return "{" + pairs.joined(separator: ", ") + "}"
    }

    /// The run's rows for the expected rows of a list that need not be exhaustive: the one each
    /// matches, else the nearest; a row with nothing like it in the run is dropped.
    private static func kept(_ list: ExpectedList, from actual: [ActualRow]) -> [(ActualRow, ExpectedRow?)] {
        var used = Set<Int>()
        var kept: [(ActualRow, ExpectedRow?)] = []
        for row in list.rows {
            let free = actual.indices.filter { !used.contains($0) }
            let agreeing = { (index: Int) in
                row.values.filter { TestOutcome.matches($0.value, actual[index].values[$0.column]) }.count
            }
            guard let best = free.max(by: { agreeing($0) < agreeing($1) }), agreeing(best) > 0 else { continue }
            used.insert(best)
            kept.append((actual[best], row))
        }
        return kept
    }

    /// ` []` and no rows for an empty list; else one flow mapping a line, with the comment of
    /// the row it stands for. A value written as a prefix (`2026-11-21T…`) stays one while the
    /// run's value still starts with it.
    private static func listLines(
        _ rows: [(ActualRow, ExpectedRow?)], columns: [String], expected: ExpectedList?, comments: [Int: String]
    ) -> (head: String, rows: [String]) {
        guard !rows.isEmpty else { return (" []", []) }
        let prefixes = Dictionary(
            (expected?.rows ?? []).flatMap(\.values).filter { $0.value.hasSuffix("…") }.map { ($0.column, $0.value) },
            uniquingKeysWith: { first, _ in first })
        let lines = rows.map { row, listed in
            let pairs = columns.map { column -> String in
                let value = row.values[column] ?? ""
                if let prefix = prefixes[column], TestOutcome.matches(prefix, value) {
                    return "\(YAMLText.scalar(column)): \(YAMLText.scalar(prefix))"
                }
                if column == "missing" {
                    let items = value.split(separator: ",").map { YAMLText.scalar($0.trimmingCharacters(in: .whitespaces)) }
                    return "missing: [" + items.joined(separator: ", ") + "]"
                }
                return "\(YAMLText.scalar(column)): \(YAMLText.scalar(value))"
            }
            let comment = listed.flatMap { comments[$0.line] } ?? ""
            return "  - {" + pairs.joined(separator: ", ") + "}" + comment
        }
        return ("", lines)
    }
}
