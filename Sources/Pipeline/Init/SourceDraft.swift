import Extract
import Transform

/// One column `crmbridge init` maps, and what the choice rests on.
public struct Choice: Sendable, Equatable {
    public enum Confidence: String, Sendable, Comparable {
        case guess, likely, sure

        public static func < (a: Confidence, b: Confidence) -> Bool {
            let order: [Confidence] = [.guess, .likely, .sure]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var role: ColumnRole
    /// The column (or path) as the pipeline names it.
    public var column: String
    /// The evidence: `header 手机 (dictionary); 20/20 sampled values are valid mobiles`.
    public var why: String
    public var confidence: Confidence
    /// Why a person should look before running it, when they should.
    public var check: String?
}

/// A `where:` condition init proposes.
public struct DraftCondition: Sendable, Equatable {
    public var column: String
    public var equals: String
    public var why: String
}

/// The source entry `crmbridge init` proposes for one file.
public struct SourceDraft: Sendable {
    public var sample: FileSample
    public var system: String
    public var systemWhy: String
    public var kind: SourceConfig.Kind
    public var kindWhy: String?
    public var id: Choice
    public var updatedAt: Choice?
    /// Why there is no `updated_at`, when there is none.
    public var noUpdatedAt: String?
    public var fields: [Choice] = []
    public var dateOrder: DateOrder?
    public var dateOrderWhy: String?
    public var contactChannel: String?
    public var conditions: [DraftCondition] = []
    public var dedupeBy: [String] = []
    public var dedupeWhy: String?
    public var skipRowsMatching: [String] = []
    public var skipWhy: String?
    /// Columns left out, each with what it looked like when that is worth saying.
    public var unmapped: [String] = []
    /// Notes about the source as a whole; `check` ones need a person's look.
    public var notes: [(text: String, check: Bool)] = []
}
