import Foundation

/// Replaces `${VAR}` and `${VAR:-default}` with values from `environment`. A variable that is
/// unset (and has no default) is an error naming it; `$$` stands for a literal `$`.
func interpolate(_ text: String, environment: [String: String]) -> Result<String, InterpolationError> {
    guard text.contains("$") else { return .success(text) }
    var out = ""
    var rest = Substring(text)
    while let dollar = rest.firstIndex(of: "$") {
        out += rest[..<dollar]
        let after = rest[rest.index(after: dollar)...]
        if after.first == "$" {
            out += "$"
            rest = after.dropFirst()
            continue
        }
        guard after.first == "{", let close = after.firstIndex(of: "}") else {
            out += "$"
            rest = after
            continue
        }
        let inner = after[after.index(after: after.startIndex)..<close]
        let name: Substring
        var fallback: Substring?
        if let range = inner.range(of: ":-") {
            name = inner[..<range.lowerBound]
            fallback = inner[range.upperBound...]
        } else {
            name = inner
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return .failure(.badName(String(inner)))
        }
        if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
            out += value
        } else if let fallback {
            out += fallback
        } else {
            return .failure(.unset(String(name)))
        }
        rest = after[after.index(after: close)...]
    }
    out += rest
    return .success(out)
}

enum InterpolationError: Error, Equatable {
    case unset(String)
    case badName(String)

    var message: String {
        switch self {
        case .unset(let name): "environment variable \(name) is not set (write ${\(name):-default} to give a default)"
        case .badName(let text): "'${\(text)}' is not a variable reference: names are letters, digits and _"
        }
    }
}

/// The names of the `${NAME}` and `${NAME:-default}` references in `text`.
func variableNames(in text: String) -> [String] {
    guard text.contains("${") else { return [] }
    var names: [String] = []
    var rest = Substring(text)
    while let start = rest.range(of: "${") {
        let after = rest[start.upperBound...]
        let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        if !name.isEmpty { names.append(String(name)) }
        rest = after
    }
    return names
}
