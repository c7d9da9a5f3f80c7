import Foundation
import Transform
import Yams

extension PipelineTestFile {
    /// Reads and validates a test file; every problem is an issue with its line and column.
    package static func load(_ path: String) throws(ConfigError) -> PipelineTestFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError([
                ConfigIssue(file: path, line: 0, column: 0, message: "cannot read the test file: \(error.localizedDescription)")
            ])
        }
        return try parse(text, file: path)
    }

    package static func parse(_ text: String, file: String) throws(ConfigError) -> PipelineTestFile {
        let root: Node
        do {
            guard let composed = try PipelineLoader.compose(text) else {
                throw ConfigError([ConfigIssue(file: file, line: 1, column: 1, message: "the test file is empty")])
            }
            root = composed
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError([PipelineLoader.yamlIssue(error, file: file)])
        } catch {
            throw ConfigError([ConfigIssue(file: file, line: 1, column: 1, message: "not valid YAML")])
        }
        // Test files are fixtures: nothing in them comes from the environment.
        var reader = TestFileReader(validator: Validator(file: file, environment: [:]))
        reader.validator.check(root, against: .object(PipelineTestSchema.root), path: "")
        guard reader.validator.issues.isEmpty else { throw ConfigError(reader.validator.issues) }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let named = root["pipeline"]?.string ?? ""
        let pipeline =
            named.hasPrefix("/") ? named : folder.appendingPathComponent(named).standardizedFileURL.path
        let asOf = reader.instant(root["as_of"])
        let tests = (root["tests"]?.sequence ?? []).map { reader.test($0, asOf: asOf ?? Date(timeIntervalSince1970: 0)) }
        var names = Set<String>()
        for (node, test) in zip(root["tests"]?.sequence ?? [], tests) where !names.insert(test.name).inserted {
            reader.validator.issue(node["name"], "two tests are named '\(test.name)': name each test apart")
        }
        guard reader.validator.issues.isEmpty else { throw ConfigError(reader.validator.issues) }
        return PipelineTestFile(path: file, pipeline: pipeline, tests: tests, text: text)
    }
}

/// Reads what the schema cannot check: times, inputs, rows, counts and metrics.
private struct TestFileReader {
    var validator: Validator

    mutating func instant(_ node: Node?) -> Date? {
        guard let node, let text = node.string else { return nil }
        guard let date = parseInstant(text, timeZone: TimestampParser.defaultTimeZone) else {
            validator.issue(
                node, "'\(text.prefix(40))' is not a time: write ISO 8601 with its offset, e.g. 2026-11-22T03:00:00+08:00")
            return nil
        }
        return date
    }

    mutating func test(_ node: Node, asOf: Date) -> PipelineTestCase {
        var inputs: [TestInput] = []
        for (key, value) in node["inputs"]?.mapping ?? [:] {
            let system = key.string ?? ""
            let mark = (line: key.mark?.line ?? 1, column: key.mark?.column ?? 1)
            if let path = value.string {
                inputs.append(TestInput(system: system, content: .file(path), line: mark.line, column: mark.column))
            } else if let rows = value["rows"], value.mapping?.count == 1, let items = rows.sequence {
                for item in items where item.mapping == nil {
                    validator.issue(item, "an inline row is a mapping of column → value: {MsgId: \"1\", Content: …}")
                }
                let values = items.filter { $0.mapping != nil }.map(inline)
                inputs.append(TestInput(system: system, content: .rows(values), line: mark.line, column: mark.column))
            } else {
                validator.issue(value, "the input of '\(system)' is a file path or {rows: [...]}")
            }
        }
        return PipelineTestCase(
            name: node["name"]?.string ?? "", line: node.mark?.line ?? 1,
            asOf: node["as_of"].flatMap { instant($0) } ?? asOf, inputs: inputs,
            expect: expectations(node["expect"]!))
    }

    private func inline(_ node: Node) -> InlineValue {
        switch node {
        case .scalar(let scalar): .text(scalar.string)
        case .sequence(let sequence): .list(sequence.map(inline))
        case .mapping(let mapping): .map(mapping.map { ($0.key.string ?? "", inline($0.value)) })
        case .alias: .text("")
        }
    }

    private mutating func expectations(_ node: Node) -> TestExpectations {
        var expect = TestExpectations(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        expect.keys = node.mapping?.keys.compactMap(\.string) ?? []
        if let counts = node["counts"] {
            expect.countsLine = counts.mark?.line
            expect.counts = self.counts(counts, system: nil)
        }
        if let master = node["master"] {
            if let rows = master["rows"] {
                let only = master["only"]?.string.map { ["true", "yes"].contains($0.lowercased()) } ?? false
                for (key, _) in master.mapping ?? [:] where !["rows", "only"].contains(key.string ?? "") {
                    validator.issue(key, "unknown key '\(key.string ?? "")' in master: expected only, rows")
                }
                expect.master = list(rows, exhaustive: only, at: master)
            } else {
                expect.master = list(master, exhaustive: false, at: master)
            }
        }
        expect.pending = node["pending"].map { list($0, exhaustive: true, at: $0) }
        expect.rejects = node["rejects"].map { list($0, exhaustive: true, at: $0) }
        expect.gaps = node["gaps"].map { list($0, exhaustive: true, at: $0) }
        expect.alerts = node["alerts"].map { list($0, exhaustive: true, at: $0) }
        if let stale = node["stale"], let customers = stale["customers"] {
            expect.staleDays = stale["days"]?.string.flatMap { Int($0) }
            expect.stale = list(customers, exhaustive: true, at: stale)
        }
        if let metrics = node["metrics"] {
            expect.metricsLine = metrics.mark?.line
            for (key, value) in metrics.mapping ?? [:] {
                if let metric = metric(key.string ?? "", value) { expect.metrics.append(metric) }
            }
        }
        return expect
    }

    private mutating func counts(_ node: Node, system: String?) -> [ExpectedCount] {
        guard let mapping = node.mapping else {
            validator.issue(node, "counts is a mapping: {read: 3, merged: 3, pending: 0, rejected: 0}")
            return []
        }
        var counts: [ExpectedCount] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            if value.mapping != nil && system == nil {
                counts += self.counts(value, system: name)
            } else if !TestOutcome.countNames.contains(name) {
                let hint = closest(to: name, in: TestOutcome.countNames).map { " (did you mean '\($0)'?)" } ?? ""
                validator.issue(
                    key, "'\(name)' is not a count\(hint); expected \(TestOutcome.countNames.joined(separator: ", ")) or a system"
                )
            } else if let number = value.string.flatMap({ Int($0) }) {
                counts.append(ExpectedCount(system: system, name: name, value: number, line: value.mark?.line ?? 1))
            } else {
                validator.issue(value, "the count '\(name)' must be a whole number")
            }
        }
        return counts
    }

    private mutating func metric(_ name: String, _ node: Node) -> ExpectedMetric? {
        let text = node.string ?? ""
        let parts = text.replacingOccurrences(of: "+-", with: "±").split(separator: "±", maxSplits: 1)
        let valueText = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let value = Double(valueText), parts.count == 1 || Double(parts[1].trimmingCharacters(in: .whitespaces)) != nil
        else {
            validator.issue(node, "the metric '\(name)' is a number, or VALUE ±TOLERANCE (0.62 ±0.01)")
            return nil
        }
        if parts.count == 2, let tolerance = Double(parts[1].trimmingCharacters(in: .whitespaces)) {
            return ExpectedMetric(
                name: name, value: value, tolerance: tolerance, toleranceWritten: true, line: node.mark?.line ?? 1)
        }
        let decimals = valueText.split(separator: ".").dropFirst().first.map { $0.prefix { $0.isNumber }.count } ?? 0
        return ExpectedMetric(
            name: name, value: value, tolerance: 0.5 * pow(10, -Double(max(decimals, 4))), toleranceWritten: false,
            line: node.mark?.line ?? 1)
    }

    private mutating func list(_ node: Node, exhaustive: Bool, at key: Node) -> ExpectedList {
        guard let items = node.sequence else {
            validator.issue(node, "a list of rows is expected here: [] or - {column: value, …}")
            return ExpectedList(rows: [], line: key.mark?.line ?? 1, exhaustive: exhaustive)
        }
        var rows: [ExpectedRow] = []
        for item in items {
            guard let mapping = item.mapping else {
                validator.issue(item, "a row is a mapping of column → value: {name: 张伟, phone: \"+8613800138000\"}")
                continue
            }
            let values = mapping.map { pair in
                (
                    column: pair.key.string ?? "",
                    value: pair.value.sequence?.compactMap(\.string).joined(separator: ", ") ?? pair.value.string ?? ""
                )
            }
            rows.append(ExpectedRow(values: values, line: item.mark?.line ?? 1))
        }
        return ExpectedList(rows: rows, line: key.mark?.line ?? 1, exhaustive: exhaustive)
    }
}
