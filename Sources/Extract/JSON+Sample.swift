/// The first records of a JSON Lines file or JSON array, each flattened into the paths that
/// `JSONReader` reads and their values as it would give them: what `crmbridge init` maps.
///
/// ```swift
/// let sample = try JSONReader.sample(path: "forms.jsonl", records: 20)
/// sample.records[0]   // [id = F-1, answers[label=手机].value = 13800138000, …]
/// ```
package struct JSONSample: Sendable {
    package var layout: JSONReader.Layout
    package var encoding: TextEncoding
    /// Each readable record's values, in the order its members come.
    package var records: [[JSONLeaf]]
    /// Records that are not JSON objects (broken lines, scalars).
    package var unreadable: Int
}

/// One value of a sampled record and the path that reads it.
package struct JSONLeaf: Sendable, Equatable {
    /// The path as a pipeline's column names it: `contact.mobile`, `tags[0]`,
    /// `answers[label=手机].value`.
    package var path: String
    package var value: String
    /// Set when the path chooses an array element by a key's value.
    package var selector: Selector?

    /// `BASE[KEY=LABEL]REST`: `answers[label=手机].value` is base `answers`, key `label`, label `手机`,
    /// rest `.value`. Paths that differ by their label alone read the same question worded
    /// otherwise, and a pipeline joins them: `answers[label=手机|联系电话].value`.
    package struct Selector: Sendable, Equatable, Hashable {
        package var base: String
        package var key: String
        package var label: String
        package var rest: String

        /// The path that takes the first of `labels` that has a value.
        package func path(labels: [String]) -> String {
            "\(base)[\(key)=\(labels.joined(separator: "|"))]\(rest)"
        }
    }
}

extension JSONReader {
    /// Reads up to `records` records from the start of the file (at most 8 MiB of it).
    package static func sample(path: String, records limit: Int, encoding: TextEncoding? = nil) throws(ExtractError)
        -> JSONSample
    {
        let stream = try UTF8Stream(path: path, encoding: encoding)
        var layout: Layout?
        var splitter = ArraySplitter()
        var line: [UInt8] = []
        var documents: [[UInt8]] = []
        var bytesRead = 0
        while documents.count < limit, bytesRead < 8 << 20 {
            let more = try stream.nextChunk { chunk in
                bytesRead += chunk.count
                for byte in chunk {
                    if layout == nil {
                        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
                        layout = byte == UInt8(ascii: "[") ? .array : .lines
                    }
                    if layout == .array {
                        if case .element(let element) = splitter.take(byte) { documents.append(element) }
                    } else if byte == 0x0A {
                        documents.append(line)
                        line = []
                    } else {
                        line.append(byte)
                    }
                }
            }
            if !more { break }
        }
        if layout != .array, !line.isEmpty { documents.append(line) }
        var sample = JSONSample(layout: layout ?? .lines, encoding: stream.encoding, records: [], unreadable: 0)
        for document in documents.prefix(limit) {
            if document.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            var parser = JSONParser(bytes: document)
            guard let value = try? parser.parseDocument(), case .object = value else {
                sample.unreadable += 1
                continue
            }
            var leaves: [JSONLeaf] = []
            flatten(value, path: "", selector: nil, into: &leaves)
            sample.records.append(leaves)
        }
        return sample
    }

    /// The keys that name an answer in an array of answers, in order of preference.
    static let labelKeys = ["label", "title", "name", "question", "key", "field", "标题", "问题", "字段"]

    private static func flatten(_ value: JSONValue, path: String, selector: JSONLeaf.Selector?, into leaves: inout [JSONLeaf]) {
        guard leaves.count < 500 else { return }
        switch value {
        case .object(let members):
            for (key, member) in members {
                // A key a path cannot name (dots and brackets split paths) is left out.
                guard !key.isEmpty, !key.contains(where: { ".[]#".contains($0) }) else { continue }
                let child = path.isEmpty ? key : "\(path).\(key)"
                flatten(
                    member, path: child,
                    selector: selector.map { selector in
                        var selector = selector
                        selector.rest += ".\(key)"
                        return selector
                    }, into: &leaves)
            }
        case .array(let elements):
            if selector == nil, let key = labelKey(of: elements) {
                for element in elements {
                    guard case .object(let members) = element,
                        let label = members.last(where: { $0.0 == key }).map({ answerLabel($0.1.text) }), !label.isEmpty
                    else { continue }
                    let base = JSONLeaf.Selector(base: path, key: key, label: label, rest: "")
                    for (member, inner) in members where member != key && !member.contains(where: { ".[]#".contains($0) }) {
                        var selector = base
                        selector.rest = ".\(member)"
                        flatten(inner, path: selector.path(labels: [label]), selector: selector, into: &leaves)
                    }
                }
                return
            }
            for (index, element) in elements.prefix(5).enumerated() {
                flatten(element, path: "\(path)[\(index)]", selector: nil, into: &leaves)
            }
        case .string, .number, .bool, .null:
            leaves.append(JSONLeaf(path: path, value: value.text, selector: selector))
        }
    }

    /// The key whose values name the elements of an array of objects (`label` of
    /// `[{label: 手机, value: …}]`): present in most elements, text, and different in each.
    private static func labelKey(of elements: [JSONValue]) -> String? {
        guard elements.count >= 2, case .object(let first) = elements[0] else { return nil }
        var candidates: [String] = []
        for member in first where !candidates.contains(member.0) { candidates.append(member.0) }
        candidates.sort { (labelKeys.firstIndex(of: $0.lowercased()) ?? 99) < (labelKeys.firstIndex(of: $1.lowercased()) ?? 99) }
        for key in candidates {
            var labels: [String] = []
            for element in elements {
                // Another member must carry the answer.
                guard case .object(let members) = element, members.count >= 2 else { return nil }
                guard let member = members.last(where: { $0.0 == key }), case .string(let text) = member.1 else { continue }
                labels.append(answerLabel(text))
            }
            if labels.count * 4 >= elements.count * 3, Set(labels).count == labels.count,
                labels.allSatisfy({ !$0.isEmpty && $0.count <= 40 })
            {
                return key
            }
        }
        return nil
    }

    /// A label as a selector names it: blanks and a trailing colon dropped, and never a character
    /// that would end the selector or split its alternatives.
    private static func answerLabel(_ text: String) -> String {
        var label = text.trimmingBlanks()
        if label.hasSuffix("：") || label.hasSuffix(":") { label = String(label.dropLast()).trimmingBlanks() }
        return label.contains(where: { "[]|#".contains($0) }) ? "" : label
    }
}
