import Extract
import Transform

/// One column `crmbridge init` maps, and what the choice rests on.
package struct Choice: Sendable, Equatable {
    package enum Confidence: String, Sendable, Comparable {
        case guess, likely, sure

        package static func < (a: Confidence, b: Confidence) -> Bool {
            let order: [Confidence] = [.guess, .likely, .sure]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    package var role: ColumnRole
    /// The column (or path) as the pipeline names it.
    package var column: String
    /// The evidence: `header 手机 (dictionary); 20/20 sampled values are valid mobiles`.
    package var why: String
    package var confidence: Confidence
    /// Why a person should look before running it, when they should.
    package var check: String?
}

/// A `where:` condition init proposes.
package struct DraftCondition: Sendable, Equatable {
    package var column: String
    package var equals: String
    package var why: String
}

/// The source entry `crmbridge init` proposes for one file.
package struct SourceDraft: Sendable {
    package var sample: FileSample
    package var system: String
    package var systemWhy: String
    package var kind: SourceConfig.Kind
    package var kindWhy: String?
    package var id: Choice
    package var updatedAt: Choice?
    /// Why there is no `updated_at`, when there is none.
    package var noUpdatedAt: String?
    package var fields: [Choice] = []
    package var dateOrder: DateOrder?
    package var dateOrderWhy: String?
    package var contactChannel: String?
    package var conditions: [DraftCondition] = []
    package var dedupeBy: [String] = []
    package var dedupeWhy: String?
    package var skipRowsMatching: [String] = []
    package var skipWhy: String?
    /// Columns left out, each with what it looked like when that is worth saying.
    package var unmapped: [String] = []
    /// Notes about the source as a whole; `check` ones need a person's look.
    package var notes: [(text: String, check: Bool)] = []
}
