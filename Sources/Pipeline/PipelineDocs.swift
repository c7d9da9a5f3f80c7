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
        out += """

            ## Test files

            `crmbridge test FILE…` runs the tests of a test file (`pipelines/demo.test.yml`): each gives \
            the pipeline's sources known inputs and lists what the run must produce. Each test runs in a \
            throwaway store at the file's `as_of`, with a test key secret (never the pipeline's); the \
            pipeline's `${VAR}`s take placeholders and its alerts are captured, never sent. A failure \
            prints the test file's line, what differs field by field and the source record involved \
            (a reject's file and locator, the source records of a customer); phone numbers are shown \
            masked. Exit codes: 0 every test passed, 1 a test failed, 2 a test file or its pipeline is \
            invalid (FILE:LINE:COLUMN: message). `--update` rewrites each test's `expect:` from what its \
            run produced, keeping the expectations and columns it lists (and the rest of the file as it \
            was) for a reviewer to diff; `--junit FILE` writes JUnit XML for CI. The project's CI runs the \
            tests of the bundled pipelines (`.ci/run`).

            | key | type | required | default | meaning |
            |---|---|---|---|---|

            """
        rows(PipelineTestSchema.root, prefix: "")
        return out
    }
}
