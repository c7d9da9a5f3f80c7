import Extract

/// Where each canonical field sits in one source file's columns, resolved once per file from
/// its header.
package struct FieldMapping: Sendable {
    package var idColumn: Int
    package var updatedAtColumn: Int?
    package var columns: [(field: CanonicalField, index: Int)]
    /// An interaction source's contact fields.
    package var contactColumns: [(field: ContactField, index: Int)]
    /// Columns of the source's row rules (`where:`, `dedupe_by:`), by name.
    package var ruleColumns: [String: Int]

    /// The owner's column, if mapped: rejects and skipped rows are counted against it.
    package var ownerColumn: Int? { columns.first { $0.field == .owner }?.index }

    /// A column the pipeline names that the file's header does not have.
    package struct MissingColumn: Error, Sendable {
        /// The pipeline key that names it: `id`, `updated_at` or `fields.<field>`.
        package var key: String
        package var column: String
        package var suggestion: String?
    }

    /// Resolves column names against `header`. Matching ignores surrounding blanks and case.
    package init(
        header: [String], id: String, updatedAt: String?, fields: [(field: CanonicalField, column: String)],
        contactFields: [(field: ContactField, column: String)] = [],
        ruleColumns: [(key: String, column: String)] = []
    ) throws(MissingColumn) {
        let folded = header.map(Self.fold)
        func index(of column: String, key: String) throws(MissingColumn) -> Int {
            if let found = folded.firstIndex(of: Self.fold(column)) { return found }
            throw MissingColumn(key: key, column: column, suggestion: closest(to: column, in: header))
        }
        idColumn = try index(of: id, key: "id")
        updatedAtColumn = try updatedAt.map { (name) throws(MissingColumn) in try index(of: name, key: "updated_at") }
        var resolved: [(field: CanonicalField, index: Int)] = []
        for (field, column) in fields {
            resolved.append((field, try index(of: column, key: "fields.\(field.rawValue)")))
        }
        columns = resolved
        var contacts: [(field: ContactField, index: Int)] = []
        for (field, column) in contactFields {
            contacts.append((field, try index(of: column, key: "fields.\(field.rawValue)")))
        }
        contactColumns = contacts
        var rules: [String: Int] = [:]
        for (key, column) in ruleColumns { rules[column] = try index(of: column, key: key) }
        self.ruleColumns = rules
    }

    private static func fold(_ name: String) -> String {
        name.trimmingBlanks().lowercased()
    }
}

/// The candidate nearest to `word` by edit distance, when it is near enough to be a typo.
package func closest(to word: String, in candidates: [String]) -> String? {
    let target = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(target, Array(candidate.lowercased()))
        if distance <= max(1, target.count / 3), distance < (best?.1 ?? .max) { best = (candidate, distance) }
    }
    return best?.0
}

/// Optimal string alignment distance: edits plus transpositions of neighbours (`paht` → `path` is 1).
private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}
