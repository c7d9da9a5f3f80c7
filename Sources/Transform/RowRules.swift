import Extract

/// A source's row rules from the pipeline file: rows to leave out before normalization, each
/// recorded as a reject with its own reason so that `read = merged + pending + rejected` holds.
package struct RowRules: Sendable {
    /// A test on one column's trimmed value.
    package struct Condition: Sendable {
        package enum Test: Sendable {
            case equals(String), notEquals(String)
            case oneOf([String]), noneOf([String])
            case matches(String), notMatches(String)
        }

        package var column: String
        package var test: Test

        package init(column: String, test: Test) {
            self.column = column
            self.test = test
        }
    }

    /// `where:` every condition must hold, else the row is rejected `filtered`.
    package var conditions: [Condition] = []
    /// `skip_rows_matching:` a row with a cell matching one of these is rejected `skipped`.
    package var skipPatterns: [String] = []
    /// `dedupe_by:` a row whose values of these columns repeat an earlier row's is a `duplicate`.
    package var dedupeBy: [String] = []
    /// The ICU match steps one search of a pattern may take (`limits.regex_steps`).
    package var regexStepLimit = BoundedRegex.defaultStepLimit

    package init() {}

    /// The columns the rules read, for readers that extract only named paths (JSON, XML).
    package var columns: [String] { conditions.map(\.column) + dedupeBy }

    /// Compiles a pattern of the pipeline file, or says why it is not a valid regular expression.
    package static func compile(_ pattern: String, stepLimit: Int32 = BoundedRegex.defaultStepLimit) -> Result<
        BoundedRegex, RuleError
    > {
        BoundedRegex.compile(pattern, stepLimit: stepLimit)
    }

    package struct RuleError: Error, Sendable {
        package var message: String
    }
}

/// The rows a source has let through so far this batch, by their `dedupe_by` values. Files of a
/// source are read one after the other, so one reading thread at a time uses it.
package final class DedupeIndex: @unchecked Sendable {
    private var firstSeen: [String: Locator] = [:]

    package init() {}

    /// Where the row with these values was first seen, or nil (and it is remembered) if never.
    func seen(_ values: String, at locator: Locator) -> Locator? {
        if let first = firstSeen[values] { return first }
        firstSeen[values] = locator
        return nil
    }
}

/// A source's row rules resolved against one file's columns: the per-row check of the reading
/// thread.
package final class RowFilter {
    private let conditions: [(column: String, index: Int, test: CompiledTest)]
    private let skip: [BoundedRegex]
    private let dedupe: [(column: String, index: Int)]
    private let dedupeIndex: DedupeIndex
    private let idColumn: Int

    private enum CompiledTest {
        case equals(Set<String>, negated: Bool)
        case matches(BoundedRegex, negated: Bool)
    }

    /// Nil when the source has no rules. The builder refuses a pipeline whose patterns do not
    /// compile or whose columns are not mapped; this says so again rather than trapping.
    package init?(rules: RowRules, mapping: FieldMapping, dedupeIndex: DedupeIndex) throws(RowRules.RuleError) {
        if rules.conditions.isEmpty && rules.skipPatterns.isEmpty && rules.dedupeBy.isEmpty { return nil }
        func column(_ name: String) throws(RowRules.RuleError) -> Int {
            guard let index = mapping.ruleColumns[name] else {
                throw RowRules.RuleError(message: "the rule's column '\(name)' is not in the file")
            }
            return index
        }
        var conditions: [(column: String, index: Int, test: CompiledTest)] = []
        for condition in rules.conditions {
            let test: CompiledTest =
                switch condition.test {
                case .equals(let value): .equals([value], negated: false)
                case .notEquals(let value): .equals([value], negated: true)
                case .oneOf(let values): .equals(Set(values), negated: false)
                case .noneOf(let values): .equals(Set(values), negated: true)
                case .matches(let pattern):
                    .matches(try RowRules.compile(pattern, stepLimit: rules.regexStepLimit).get(), negated: false)
                case .notMatches(let pattern):
                    .matches(try RowRules.compile(pattern, stepLimit: rules.regexStepLimit).get(), negated: true)
                }
            conditions.append((condition.column, try column(condition.column), test))
        }
        self.conditions = conditions
        skip = try rules.skipPatterns.map { (pattern) throws(RowRules.RuleError) in
            try RowRules.compile(pattern, stepLimit: rules.regexStepLimit).get()
        }
        var dedupe: [(column: String, index: Int)] = []
        for name in rules.dedupeBy { dedupe.append((name, try column(name))) }
        self.dedupe = dedupe
        self.dedupeIndex = dedupeIndex
        idColumn = mapping.idColumn
    }

    /// The rejection of a row the rules leave out, or nil for a row that goes on. Throws when a
    /// pattern runs past its work limit: the file stops there, since every row would.
    package func check(_ record: SourceRecord) throws(BoundedRegex.Timeout) -> Rejection? {
        // Made only for a row left out: most rows pass.
        var sourceID: String { record.values[idColumn].trimmingBlanks() }
        for regex in skip {
            for cell in record.values {
                let value = cell.trimmingBlanks()
                if try regex.firstMatch(in: value) {
                    return Rejection(
                        .skipped, "cell '\(Self.excerpt(value))' matches skip_rows_matching '\(regex.pattern)'",
                        sourceID: sourceID)
                }
            }
        }
        for (column, index, test) in conditions {
            let value = record.values[index].trimmingBlanks()
            let holds =
                switch test {
                case .equals(let values, let negated): values.contains(value) != negated
                case .matches(let regex, let negated): try regex.firstMatch(in: value) != negated
                }
            if !holds {
                return Rejection(.filtered, "left out by where: \(column) is '\(Self.excerpt(value))'", sourceID: sourceID)
            }
        }
        if !dedupe.isEmpty {
            let values = dedupe.map { record.values[$0.index].trimmingBlanks() }
            // Rows with no value to compare are not repeats of each other.
            guard values.contains(where: { !$0.isEmpty }) else { return nil }
            if let first = dedupeIndex.seen(values.joined(separator: "\u{1F}"), at: record.locator) {
                let named = zip(dedupe, values).map { "\($0.column)=\($1)" }.joined(separator: ", ")
                return Rejection(.duplicate, "repeats \(named) of \(first) (dedupe_by)", sourceID: sourceID)
            }
        }
        return nil
    }

    /// A cell as a message shows it: the first 40 characters.
    private static func excerpt(_ value: String) -> String {
        value.count <= 40 ? value : value.prefix(40) + "…"
    }
}
