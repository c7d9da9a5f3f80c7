import Foundation

/// The result of one test.
package struct PipelineTestResult: Sendable {
    package var file: String
    package var name: String
    package var line: Int
    package var seconds: Double
    /// Empty when the test passed.
    package var failures: [TestFailure]
    /// What the run produced; nil when it stopped (the failure says why).
    package var outcome: TestOutcome?

    package var passed: Bool { failures.isEmpty }
}

/// How `crmbridge test` prints its results: per test a line, per failure the test file's line,
/// what differs and the source record involved.
package enum PipelineTestReport {
    package static func text(_ results: [PipelineTestResult]) -> String {
        var lines: [String] = []
        for result in results {
            let time = String(format: "%.2f s", result.seconds)
            lines.append("\(result.passed ? "PASS" : "FAIL") \(result.file):\(result.line) \(result.name) (\(time))")
            for failure in result.failures {
                lines.append("  \(result.file):\(failure.line): \(failure.message)")
                lines += failure.details.map { "    " + $0 }
            }
        }
        let failed = results.filter { !$0.passed }.count
        lines.append(
            "\(results.count) test\(results.count == 1 ? "" : "s"): \(results.count - failed) passed, \(failed) failed")
        return lines.joined(separator: "\n")
    }

    /// JUnit XML, as CI systems read it: one suite per test file, one case per test.
    package static func junit(_ results: [PipelineTestResult]) -> String {
        var files: [String] = []
        for result in results where !files.contains(result.file) { files.append(result.file) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failed = results.filter { !$0.passed }.count
        out += "<testsuites name=\"crmbridge test\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\">\n"
        for file in files {
            let cases = results.filter { $0.file == file }
            let time = String(format: "%.3f", cases.map(\.seconds).reduce(0, +))
            out +=
                "  <testsuite name=\"\(escape(file))\" tests=\"\(cases.count)\" "
                + "failures=\"\(cases.filter { !$0.passed }.count)\" errors=\"0\" time=\"\(time)\">\n"
            for result in cases {
                out +=
                    "    <testcase classname=\"\(escape(file))\" name=\"\(escape(result.name))\" "
                    + "file=\"\(escape(file))\" line=\"\(result.line)\" time=\"\(String(format: "%.3f", result.seconds))\""
                guard let first = result.failures.first else {
                    out += "/>\n"
                    continue
                }
                let body = result.failures.map { failure in
                    (["\(file):\(failure.line): \(failure.message)"] + failure.details.map { "  " + $0 }).joined(separator: "\n")
                }.joined(separator: "\n")
                out += ">\n      <failure message=\"\(escape(first.message))\" type=\"mismatch\">\(escape(body))</failure>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 has no way to write other control characters: they are left out.
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 32: break
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
