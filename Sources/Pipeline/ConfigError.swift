/// One problem in a pipeline file, with where it is and what is expected.
package struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var message: String

    package var description: String { "\(file):\(line):\(column): \(message)" }
}

/// A pipeline file that cannot be run; every problem found is listed, not just the first.
package struct ConfigError: Error, Sendable, CustomStringConvertible {
    package var issues: [ConfigIssue]

    package init(_ issues: [ConfigIssue]) {
        self.issues = issues
    }

    package var description: String { issues.map(\.description).joined(separator: "\n") }
}
