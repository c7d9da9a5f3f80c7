/// One step of a column's path into a JSON record (see `parsePath`).
enum JSONPathStep: Equatable {
    case key(String)
    case index(Int)
    /// `[label=手机|电话]`: the element of an array of objects whose `key` member is one of `values`.
    case select(key: String, values: [String])
}

/// `a.b[2].c` → key a, key b, index 2, key c; `answers[label=手机].value` → key answers, the
/// element whose `label` is 手机, key value. Dots inside brackets do not split the path
/// (`[label=No.]`). A bracket that holds neither a number nor `KEY=VALUE` is part of the key.
func parsePath(_ path: String) -> [JSONPathStep] {
    var steps: [JSONPathStep] = []
    for part in splitOutsideBrackets(path) {
        var name = part
        var trailing: [JSONPathStep] = []
        while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
            let inside = name[name.index(after: open)..<name.index(before: name.endIndex)]
            if let index = Int(inside), index >= 0 {
                trailing.insert(.index(index), at: 0)
            } else if let equals = inside.firstIndex(of: "="), case let key = inside[..<equals].trimmingBlanks(), !key.isEmpty {
                let values = inside[inside.index(after: equals)...].split(separator: "|").map { $0.trimmingBlanks() }
                trailing.insert(.select(key: key, values: values), at: 0)
            } else {
                break
            }
            name = name[..<open]
        }
        if !name.isEmpty || trailing.isEmpty { steps.append(.key(String(name))) }
        steps.append(contentsOf: trailing)
    }
    return steps
}

/// `path` cut at the dots that are not inside brackets.
private func splitOutsideBrackets(_ path: String) -> [Substring] {
    var parts: [Substring] = []
    var start = path.startIndex
    var depth = 0
    for index in path.indices {
        switch path[index] {
        case "[": depth += 1
        case "]": depth = max(0, depth - 1)
        case "." where depth == 0:
            parts.append(path[start..<index])
            start = path.index(after: index)
        default: break
        }
    }
    parts.append(path[start...])
    return parts
}
