import Foundation

/// A test file (`crmbridge test`): a pipeline file, a fixed clock, and tests that each give the
/// pipeline's sources known inputs and list what the run must produce.
package struct PipelineTestFile: Sendable {
    package var path: String
    /// The pipeline file under test, resolved against the test file's folder.
    package var pipeline: String
    package var tests: [PipelineTestCase]
    /// The file as read, for `--update`.
    package var text: String
}

package struct PipelineTestCase: Sendable {
    package var name: String
    package var line: Int
    package var asOf: Date
    package var inputs: [TestInput]
    package var expect: TestExpectations
}

/// What one source reads in a test, instead of its `path`.
package struct TestInput: Sendable {
    package enum Content: Sendable {
        /// A file, resolved against the test file's folder.
        case file(String)
        /// Rows written to a file in the source's format.
        case rows([InlineValue])
    }

    package var system: String
    package var content: Content
    package var line: Int
    package var column: Int
}

/// A YAML value of an inline row, kept in its shape: JSON and XML sources take nested values.
package indirect enum InlineValue: Sendable {
    case text(String)
    case list([InlineValue])
    case map([(String, InlineValue)])

    /// A cell of a flat format (csv, xlsx): a list is joined the way form answers are.
    var cell: String {
        switch self {
        case .text(let text): text
        case .list(let items): items.map(\.cell).joined(separator: ", ")
        case .map(let pairs): pairs.map { "\($0.0)：\($0.1.cell)" }.joined(separator: "\n")
        }
    }
}

/// One row a test expects: some columns of a master customer, a reject, an alert…
package struct ExpectedRow: Sendable {
    package var values: [(column: String, value: String)]
    package var line: Int
}

/// A list of expected rows under one key of `expect`.
package struct ExpectedList: Sendable {
    package var rows: [ExpectedRow]
    /// The line of the list's key.
    package var line: Int
    /// Every row produced must be listed (always, except for `master` without `only: true`).
    package var exhaustive: Bool
}

package struct ExpectedCount: Sendable {
    /// nil: the whole run; else one source system's counts.
    package var system: String?
    package var name: String
    package var value: Int
    package var line: Int
}

package struct ExpectedMetric: Sendable {
    package var name: String
    package var value: Double
    /// Written as `VALUE ±TOLERANCE`; else half a unit of the last decimal written (at least 4).
    package var tolerance: Double
    package var toleranceWritten: Bool
    package var line: Int
}

/// The `expect:` of a test; nil or empty: not checked.
package struct TestExpectations: Sendable {
    package var line: Int
    package var column: Int
    /// The keys as the file orders them, for `--update` to keep.
    package var keys: [String] = []
    package var counts: [ExpectedCount] = []
    package var countsLine: Int?
    package var master: ExpectedList?
    package var pending: ExpectedList?
    package var rejects: ExpectedList?
    package var metrics: [ExpectedMetric] = []
    package var metricsLine: Int?
    package var gaps: ExpectedList?
    package var staleDays: Int?
    package var stale: ExpectedList?
    package var alerts: ExpectedList?
}
