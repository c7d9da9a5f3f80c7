import Extract
import Foundation
import Health
import Load
import Transform
import Yams

/// Reads a pipeline file: YAML → schema validation (every issue with line and column) →
/// `${VAR}` interpolation → `PipelineConfig`.
package enum PipelineLoader {
    package static func load(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> PipelineConfig
    {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError([
                ConfigIssue(
                    file: path, line: 0, column: 0, message: "cannot read the pipeline file: \(error.localizedDescription)")
            ])
        }
        return try parse(text, file: path, environment: environment)
    }

    package static func parse(_ text: String, file: String, environment: [String: String]) throws(ConfigError)
        -> PipelineConfig
    {
        let node: Node
        do {
            guard let composed = try compose(text) else {
                throw ConfigError([ConfigIssue(file: file, line: 1, column: 1, message: "the pipeline file is empty")])
            }
            node = composed
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError([yamlIssue(error, file: file)])
        } catch {
            throw ConfigError([ConfigIssue(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")])
        }
        var validator = Validator(file: file, environment: environment)
        validator.check(node, against: .object(PipelineSchema.root), path: "")
        // The builder adds what the schema cannot see (time zone, store URL, secret) and throws
        // every issue found so far.
        var builder = Builder(file: file, root: node, validator: validator)
        return try builder.build()
    }

    /// Yams' parse with its encoding named: the default one reads `YAMS_DEFAULT_ENCODING` from the
    /// environment on every call and, when it is set, prints a line to stdout, which would break
    /// `--json` output (and copying the environment was 4.6% of the pipeline fuzz target's time).
    static func compose(_ text: String) throws -> Node? {
        try Yams.compose(yaml: text, .default, .default, .utf8)
    }

    /// The YAML error with its place, never the document: Yams' own descriptions quote the file,
    /// and a pipeline file may hold a literal secret or webhook token.
    static func yamlIssue(_ error: YamlError, file: String) -> ConfigIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigIssue(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0.prefix(40))'" }.joined(separator: ", ")
            return ConfigIssue(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "not valid YAML: the key \(keys) appears twice in one mapping: keep one")
        case .reader(let problem, _, _, _):
            return ConfigIssue(file: file, line: 1, column: 1, message: "not valid YAML: \(problem)")
        default:
            return ConfigIssue(file: file, line: 1, column: 1, message: "not valid YAML")
        }
    }
}

/// Walks the YAML tree along the schema, collecting issues; resolves `${VAR}` in scalars.
struct Validator {
    let file: String
    let environment: [String: String]
    var issues: [ConfigIssue] = []
    /// The `${VAR}` names the file uses: their values are kept out of every message.
    var referenced: Set<String> = []

    mutating func issue(_ node: Node?, _ message: String) {
        let mark = node?.mark
        issues.append(ConfigIssue(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// The scalar's text with `${VAR}` resolved; records an issue and returns nil on failure.
    mutating func text(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        for name in variableNames(in: scalar.string) { referenced.insert(name) }
        switch interpolate(scalar.string, environment: environment) {
        case .success(let value): return value
        case .failure(let error):
            issue(node, error.message)
            return nil
        }
    }

    /// `issues` with the value of every `${VAR}` the file uses written as `${VAR}`: a message
    /// that quotes a value (`'kind' is '…'`) must not show a secret that went into it.
    func redacted(_ issues: [ConfigIssue]) -> [ConfigIssue] {
        // Longest first, so that a value holding another is replaced whole; very short values
        // would blank out ordinary words.
        let values = referenced.compactMap { name in environment[name].map { (name, $0) } }.filter { $0.1.count >= 4 }
            .sorted { $0.1.count > $1.1.count }
        return issues.map { issue in
            var issue = issue
            for (name, value) in values { issue.message = issue.message.replacingOccurrences(of: value, with: "${\(name)}") }
            return issue
        }
    }

    mutating func check(_ node: Node, against type: ValueType, path: String) {
        let name = path.isEmpty ? "the pipeline file" : "'\(path)'"
        switch type {
        case .string:
            guard case .scalar = node else { return issue(node, "\(name) must be a string") }
            _ = text(node)
        case .integer:
            guard let value = text(node), Int(value) != nil else { return issue(node, "\(name) must be a whole number") }
        case .integerAtLeast(let minimum):
            guard let value = text(node), let number = Int(value), number >= minimum else {
                return issue(node, "\(name) must be a whole number of at least \(minimum)")
            }
        case .byteSize:
            guard let value = text(node), let bytes = ByteSize.parse(value), bytes > 0 else {
                return issue(node, "\(name) must be a size: a number of bytes, or one with a unit such as 4 MiB or 512 KiB")
            }
        case .number:
            guard let value = text(node), Double(value) != nil else { return issue(node, "\(name) must be a number") }
        case .boolean:
            guard let value = text(node), ["true", "false", "yes", "no"].contains(value.lowercased()) else {
                return issue(node, "\(name) must be true or false")
            }
        case .oneOf(let values):
            guard let value = text(node) else { return issue(node, "\(name) must be one of \(values.joined(separator: ", "))") }
            if !values.contains(value) && !values.contains(value.lowercased()) {
                let hint = closest(to: value, in: values).map { " (did you mean '\($0)'?)" } ?? ""
                issue(node, "\(name) is '\(value)', expected one of \(values.joined(separator: ", "))\(hint)")
            }
        case .list(let element):
            guard case .sequence(let sequence) = node else { return issue(node, "\(name) must be a list") }
            if sequence.isEmpty { issue(node, "\(name) is empty") }
            for (index, item) in sequence.enumerated() { check(item, against: element, path: "\(path)[\(index)]") }
        case .object(let keys):
            guard case .mapping(let mapping) = node else { return issue(node, "\(name) must be a mapping of keys") }
            var seen = Set<String>()
            for (keyNode, value) in mapping {
                let key = keyNode.string ?? ""
                seen.insert(key)
                guard let spec = keys.first(where: { $0.name == key }) else {
                    let hint = closest(to: key, in: keys.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                    issue(keyNode, "unknown key '\(key)' in \(name)\(hint); expected \(keys.map(\.name).joined(separator: ", "))")
                    continue
                }
                check(value, against: spec.type, path: path.isEmpty ? key : "\(path).\(key)")
            }
            for spec in keys where spec.required && !seen.contains(spec.name) {
                issue(node, "\(name) lacks the required key '\(spec.name)': \(spec.doc)")
            }
        case .forms:
            break
        case .dictionary(let vocabulary, let value):
            guard case .mapping(let mapping) = node else { return issue(node, "\(name) must be a mapping") }
            for (keyNode, item) in mapping {
                let key = keyNode.string ?? ""
                if let vocabulary, !vocabulary.contains(key) {
                    let hint = closest(to: key, in: vocabulary).map { " (did you mean '\($0)'?)" } ?? ""
                    issue(
                        keyNode, "'\(key)' is not a canonical field\(hint); expected one of \(vocabulary.joined(separator: ", "))"
                    )
                    continue
                }
                check(item, against: value, path: "\(path).\(key)")
            }
        }
    }
}
