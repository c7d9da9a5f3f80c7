/// `docs/pipeline-format.md`, generated from `PipelineSchema` so that no key can be missing
/// from it. A test checks that the committed file matches.
package enum PipelineDocs {
    package static var markdown: String {
        var out = """
            # Pipeline file format

            Generated from the schema in `Sources/Pipeline/PipelineSchema.swift` (`crmbridge docs`); \
            `crmbridge check FILE` validates a file against it. Values may use `${VAR}` and \
            `${VAR:-default}` from the environment; `$$` is a literal `$`.

            | key | type | required | default | meaning |
            |---|---|---|---|---|

            """
        func rows(_ keys: [KeySpec], prefix: String) {
            for key in keys {
                let path = prefix + key.name
                let example = key.example.map { " Example: `\($0)`." } ?? ""
                out +=
                    "| `\(path)` | \(key.type.summary) | \(key.required ? "yes" : "") | "
                    + "\(key.defaultValue.map { "`\($0)`" } ?? "") | \(key.doc)\(example) |\n"
                switch key.type {
                case .object(let children): rows(children, prefix: path + ".")
                case .list(.object(let children)): rows(children, prefix: path + "[].")
                default: break
                }
            }
        }
        rows(PipelineSchema.root, prefix: "")
        out +=
            "\nCanonical fields for `fields`: "
            + PipelineSchema.fieldNames.map { "`\($0)`" }.joined(separator: ", ") + ".\n"
        return out
    }
}
