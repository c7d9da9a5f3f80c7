import Foundation

/// One way a test's run differs from what it expects: the test file's line, what differs, and
/// the per-field lines under it.
package struct TestFailure: Sendable {
    package var line: Int
    package var message: String
    package var details: [String] = []
}

extension TestOutcome {
    /// Every difference between this outcome and `expect`, in the order the file lists them.
    func failures(against expect: TestExpectations) -> [TestFailure] {
        var failures = fileErrors.map {
            TestFailure(line: expect.line, message: "an input could not be read: \(maskPhones($0))")
        }
        for count in expect.counts {
            let label = count.system.map { "counts.\($0).\(count.name)" } ?? "counts.\(count.name)"
            guard let counts = self.counts[count.system ?? ""] else {
                failures.append(
                    TestFailure(line: count.line, message: "\(label): the run read nothing from '\(count.system ?? "")'"))
                continue
            }
            let actual = counts[count.name] ?? 0
            if actual != count.value {
                failures.append(TestFailure(line: count.line, message: "\(label): expected \(count.value), got \(actual)"))
            }
        }
        let lists: [(String, ExpectedList?)] = [
            ("master", expect.master), ("pending", expect.pending), ("rejects", expect.rejects),
        ]
        for case (let name, let list?) in lists { failures += compare(list, name: name) }
        for metric in expect.metrics {
            guard let actual = metrics[metric.name] else {
                let known = metrics.keys.sorted().prefix(12).joined(separator: ", ")
                failures.append(
                    TestFailure(
                        line: metric.line, message: "metrics.\(metric.name): the run has no such metric (it has \(known)…)"))
                continue
            }
            if abs(actual - metric.value) > metric.tolerance + 1e-12 {
                let tolerance = metric.toleranceWritten ? " ±\(Self.number(metric.tolerance))" : ""
                failures.append(
                    TestFailure(
                        line: metric.line,
                        message:
                            "metrics.\(metric.name): expected \(Self.number(metric.value))\(tolerance), got \(Self.number(actual))"
                    ))
            }
        }
        let scans: [(String, ExpectedList?)] = [("gaps", expect.gaps), ("stale", expect.stale), ("alerts", expect.alerts)]
        for case (let name, let list?) in scans { failures += compare(list, name: name) }
        return failures.sorted { $0.line < $1.line }
    }

    /// Matches each expected row to a row of its own; an expected row that matches none is shown
    /// against the nearest row, field by field; in an exhaustive list a row left over fails too.
    private func compare(_ list: ExpectedList, name: String) -> [TestFailure] {
        var failures: [TestFailure] = []
        let actual = rows(name)
        var used = Set<Int>()
        let known = Set(actual.flatMap(\.values.keys)).union(Self.columns[name] ?? [])
        for row in list.rows {
            let unknown = row.values.map(\.column).filter { !known.contains($0) }
            if !unknown.isEmpty && !actual.isEmpty {
                failures.append(
                    TestFailure(
                        line: row.line,
                        message:
                            "\(name): no column \(unknown.joined(separator: ", ")); the rows have \(known.sorted().joined(separator: ", "))"
                    ))
                continue
            }
            if let index = actual.indices.first(where: { !used.contains($0) && Self.matches(row, actual[$0]) }) {
                used.insert(index)
                continue
            }
            var failure = TestFailure(line: row.line, message: "\(name): no row \(Self.describe(row)) in the run")
            let nearest = actual.indices.filter { !used.contains($0) }.max { a, b in
                Self.agreeing(row, actual[a]) < Self.agreeing(row, actual[b])
            }
            if let nearest, Self.agreeing(row, actual[nearest]) > 0 {
                failure.details.append("nearest row (\(maskPhones(actual[nearest].origin))):")
                for (column, value) in row.values where !Self.matches(value, actual[nearest].values[column]) {
                    let got = actual[nearest].values[column] ?? ""
                    failure.details.append("  \(column): expected \(Self.quoted(value)), got \(Self.quoted(got))")
                }
            }
            failures.append(failure)
        }
        if list.exhaustive {
            let shown = Self.shownColumns(list, name: name)
            for index in actual.indices where !used.contains(index) {
                let values = shown.map { ($0, actual[index].values[$0] ?? "") }
                failures.append(
                    TestFailure(
                        line: list.line,
                        message: "\(name): unexpected row \(Self.describe(values)) (\(maskPhones(actual[index].origin)))"))
            }
        }
        return failures
    }

    /// The columns a list's rows use, else the list's default ones.
    static func shownColumns(_ list: ExpectedList, name: String) -> [String] {
        var columns: [String] = []
        for row in list.rows {
            for (column, _) in row.values where !columns.contains(column) { columns.append(column) }
        }
        return columns.isEmpty ? defaultColumns[name] ?? [] : columns
    }

    static func matches(_ row: ExpectedRow, _ actual: ActualRow) -> Bool {
        row.values.allSatisfy { matches($0.value, actual.values[$0.column]) }
    }

    private static func agreeing(_ row: ExpectedRow, _ actual: ActualRow) -> Int {
        row.values.filter { matches($0.value, actual.values[$0.column]) }.count
    }

    /// Equal, or for an expected value ending in `…`, starting with the rest.
    static func matches(_ expected: String, _ actual: String?) -> Bool {
        guard let actual else { return false }
        if expected.hasSuffix("…") { return actual.hasPrefix(expected.dropLast()) }
        return expected == actual
    }

    private static func describe(_ row: ExpectedRow) -> String { describe(row.values.map { ($0.column, $0.value) }) }

    private static func describe(_ values: [(String, String)]) -> String {
        "{" + values.map { "\($0.0): \(quoted($0.1))" }.joined(separator: ", ") + "}"
    }

    private static func quoted(_ value: String) -> String {
        let text = value.count > 80 ? value.prefix(80) + "…" : value
        return maskPhones(YAMLText.scalar(String(text)))
    }

    static func number(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") && !text.hasSuffix(".0") { text.removeLast() }
        return text
    }
}

/// Phone numbers in a message shown with their middle four digits hidden (`+86138****8000`):
/// test output lands in CI logs.
func maskPhones(_ text: String) -> String {
    var out = ""
    var digits = ""
    func flush() {
        if digits.count >= 11 {
            let end = digits.index(digits.endIndex, offsetBy: -4)
            let start = digits.index(end, offsetBy: -4)
            out += digits[..<start] + "****" + digits[end...]
        } else {
            out += digits
        }
        digits = ""
    }
    for char in text {
        if char.isASCII && char.isNumber {
            digits.append(char)
        } else {
            flush()
            out.append(char)
        }
    }
    flush()
    return out
}
