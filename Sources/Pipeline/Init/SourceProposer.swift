import Extract
import Foundation
import Transform

/// Turns what was read of a file (`FileSample`) into a source entry: kind, system, id,
/// `updated_at` and the field mapping, each choice with its evidence. Headers speak first,
/// through `HeaderDictionary`; the values confirm them (`ValueProfile`), and speak alone where
/// a header says nothing.
package enum SourceProposer {
    /// The lowest score a mapping is proposed with; below it a column stays unmapped.
    static let minimumScore = 0.3

    package static func propose(_ sample: FileSample, taken: Set<String> = []) -> SourceDraft {
        var state = State(sample: sample)
        let interactions = state.detectKind()
        state.matchHeaders(interactions: interactions)
        let pushes = sample.columns.contains { $0.name == "MsgType" } && sample.columns.contains { $0.name == "MsgId" }
        let system = SystemName.name(for: sample.path, pushes: pushes, interactions: interactions, taken: taken)
        let id = state.chooseID()
        var draft = SourceDraft(
            sample: sample, system: system.name, systemWhy: system.why,
            kind: interactions ? .interactions : .customers, id: id)
        if interactions { draft.kindWhy = state.kindWhy }
        (draft.updatedAt, draft.noUpdatedAt) = state.chooseUpdatedAt(interactions: interactions)
        draft.fields = state.chooseFields(interactions: interactions, idColumn: id.column, updatedAt: draft.updatedAt)
        state.settleDateOrder(&draft)
        addRules(to: &draft, pushes: pushes)
        if !interactions, ["web", "wechat"].contains(system.name) {
            draft.contactChannel = "\(system.name)_form"
        }
        draft.unmapped = state.unmapped(draft)
        addNotes(to: &draft, profiles: state.profiles)
        return draft
    }

    // MARK: - Rules

    private static func addRules(to draft: inout SourceDraft, pushes: Bool) {
        let sample = draft.sample
        if pushes, let types = sample.columns.first(where: { $0.name == "MsgType" }),
            types.values.contains(where: { $0.trimmingBlanks() == "text" })
        {
            draft.conditions.append(
                DraftCondition(
                    column: "MsgType", equals: "text",
                    why: """
                        pushes of other types (subscribe events, images) hold no form: left out as filtered, not rejected as no_identifier
                        """))
        }
        if pushes, draft.id.column == "MsgId" {
            // Repeated MsgIds in the sample are those retries: no reason to doubt the id.
            if draft.id.check?.contains("repeat") == true {
                draft.id.check = nil
                draft.id.why += "; repeats are retried pushes (dedupe_by)"
            }
            draft.dedupeBy = ["MsgId"]
            draft.dedupeWhy = "WeChat sends a push again when it gets no answer in time: the same MsgId with a new CreateTime"
        }
        if let first = sample.totalsRows.first {
            // The pattern is tried on every cell of every row: as narrow as the totals seen, so that
            // a note starting with 合计 or a company called Total… is not skipped too.
            let cells = Set(sample.totalsRows.map(\.cell))
            let chinese = cells.filter { cell in FileSample.totalsWords.contains { cell.hasPrefix($0) } }
            var patterns: [String] = []
            if !chinese.isEmpty {
                let exact = chinese.allSatisfy { cell in
                    FileSample.totalsWords.contains { cell == $0 || cell == $0 + "：" || cell == $0 + ":" }
                }
                patterns.append(exact ? "^(合计|总计|小计|共计)[:：]?$" : "^(合计|总计|小计|共计)")
            }
            if chinese.count < cells.count { patterns.append("^(?i:total|subtotal|grand total)\\b") }
            draft.skipRowsMatching = patterns
            let more = sample.totalsRows.count > 1 ? " and \(sample.totalsRows.count - 1) more" : ""
            draft.skipWhy = "\(first.locator)\(more) is a totals row (\(first.cell)): skipped, not rejected as no_identifier"
        }
    }

    private static func addNotes(to draft: inout SourceDraft, profiles: [String: ValueProfile]) {
        if let taxID = draft.fields.first(where: { $0.role == .field(.taxID) }),
            let profile = profiles[taxID.column], profile.legacyTaxIDs > 0
        {
            draft.notes.append(
                (
                    "\(profile.legacyTaxIDs) of \(profile.values) sampled tax IDs are old 15-digit numbers: "
                        + "they key only with legacy_tax_id_forms_key: true", true
                ))
        }
        if draft.sample.format == .jsonl && draft.sample.unreadable > draft.sample.records {
            draft.notes.append(
                (
                    "most lines are not JSON objects: one pretty-printed document, or records inside an object? "
                        + "crmbridge reads one object per line, or an array of objects", true
                ))
        } else if draft.sample.records == 0 {
            let json = draft.sample.format == .json || draft.sample.format == .jsonl
            draft.notes.append(
                (
                    "no record of the file could be read"
                        + (json
                            ? ": a JSON document whose records sit inside an object is not read; export one object per line or an array"
                            : ""),
                    true
                ))
        } else if draft.sample.unreadable > 0 {
            draft.notes.append(
                (
                    "\(draft.sample.unreadable) of the first records cannot be read (empty, broken or cut off): "
                        + "a run rejects them with their reason", false
                ))
        }
        if draft.kind == .customers,
            !draft.fields.contains(where: { $0.role == .field(.phone) })
                && !draft.fields.contains(where: { $0.role == .field(.taxID) })
        {
            draft.notes.append(
                ("neither a phone nor a tax ID column was found: every record would be rejected no_identifier", true))
        }
    }

    // MARK: - State

    /// Candidates of one file's columns.
    private struct Candidate {
        var role: ColumnRole
        var column: Int
        var score: Double
        var why: [String]
        var check: String?
        /// Found by the values alone, the name saying nothing: joins no family of labels.
        var byValues = false
    }

    private struct State {
        let sample: FileSample
        var profiles: [String: ValueProfile] = [:]
        var matches: [HeaderMatch?] = []
        var kindWhy: String?

        init(sample: FileSample) {
            self.sample = sample
            for column in sample.columns { profiles[column.name] = ValueProfile(column.values) }
        }

        func profile(_ index: Int) -> ValueProfile { profiles[sample.columns[index].name] ?? ValueProfile() }

        /// The name a column goes by to the dictionary: a form answer's label, the last part of a
        /// JSON path (`contact.mobile` → mobile), else the header.
        func shownName(_ column: SampledColumn) -> String {
            if let answer = column.answer { return answer.label }
            if let selector = column.selector { return selector.label }
            if sample.format == .json || sample.format == .jsonl || sample.format == .xml,
                let last = column.name.split(whereSeparator: { $0 == "." || $0 == "/" }).last
            {
                return String(last).replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: " ")
            }
            return column.name
        }

        func isLabel(_ column: SampledColumn) -> Bool { column.answer != nil || column.selector != nil }

        /// What a column's name is, in the evidence: a header, a JSON key, an XML element or a form answer's label.
        func kindOfName(_ column: SampledColumn) -> String {
            if isLabel(column) { return "label" }
            switch sample.format {
            case .csv, .xlsx: return "header"
            case .json, .jsonl: return "key"
            case .xml: return "element"
            }
        }

        /// A call log has a caller column, or a start time and a duration.
        mutating func detectKind() -> Bool {
            let plain = sample.columns.filter { !isLabel($0) }
            if let caller = plain.first(where: {
                HeaderDictionary.lookup(shownName($0)).map { $0.role == .caller && $0.how == .name } ?? false
            }) {
                kindWhy = "a call log: column '\(caller.name)' holds the caller"
                return true
            }
            let roles = plain.compactMap { HeaderDictionary.lookup(shownName($0))?.role }
            if roles.contains(.contact(.startedAt)) && roles.contains(.contact(.durationSeconds)) {
                kindWhy = "a call log: it has a start time and a duration"
                return true
            }
            return false
        }

        mutating func matchHeaders(interactions: Bool) {
            matches = sample.columns.map {
                HeaderDictionary.lookup(shownName($0), interactions: interactions, label: isLabel($0))
            }
        }

        // MARK: id

        func chooseID() -> Choice {
            var best: (index: Int, score: Double, why: String, check: String?)?
            for (index, column) in sample.columns.enumerated() where !isLabel(column) {
                let profile = profile(index)
                guard profile.values > 0, profile.values * 2 >= max(sample.records, 1) else { continue }
                // A few repeats are retried pushes or a duplicated row; more make it no id.
                let repeats = profile.values - profile.distinct
                guard repeats <= max(2, profile.values / 10) else { continue }
                let match = matches[index]
                var score: Double
                var why: String
                switch match {
                case .some(let match) where match.role == .id && match.how == .name:
                    score = 1.0
                    why = "\(kindOfName(column)) \(column.name) (dictionary)"
                case .some(let match) where match.role == .id:
                    score = 0.7
                    why = "\(kindOfName(column)) \(column.name) holds '\(match.word)'"
                case .none:
                    // A column of phones, tax IDs or times is no id however unique its values.
                    guard profile.share(profile.mobiles + profile.landlines + profile.taxIDs + profile.times) < 0.5 else {
                        continue
                    }
                    score = 0.35 - Double(index) * 0.001
                    why = "no header says id; its values differ"
                default:
                    continue
                }
                var check: String?
                let shown = "\(profile.distinct)/\(profile.values) sampled values are different"
                why += "; \(shown)"
                if repeats > 0 {
                    score -= 0.1
                    check =
                        repeats == 1
                        ? "1 sampled value repeats: is it the record's own id?"
                        : "\(repeats) sampled values repeat: is it the record's own id?"
                }
                if profile.values < sample.records {
                    why += " (\(sample.records - profile.values) empty)"
                }
                if score < 0.5 { check = check ?? "no header names an id: is this the record's own id?" }
                if score > (best?.score ?? 0) { best = (index, score, why, check) }
            }
            guard let best else {
                let first = sample.columns.first { !isLabel($0) }?.name ?? sample.columns.first?.name ?? "id"
                return Choice(
                    role: .id, column: first, why: "no column has different values in every sampled record",
                    confidence: .guess, check: "choose the column that holds the record's own id")
            }
            return Choice(
                role: .id, column: sample.columns[best.index].name, why: best.why,
                confidence: confidence(best.score), check: best.check)
        }

        // MARK: updated_at

        func chooseUpdatedAt(interactions: Bool) -> (Choice?, String?) {
            let timed = { (index: Int) -> Bool in
                let profile = profile(index)
                return profile.values == 0 || profile.share(profile.times + profile.ambiguousDates) >= 0.5
            }
            func choice(_ index: Int, _ why: String, _ score: Double, check: String? = nil) -> Choice {
                let profile = profile(index)
                var why = why
                if profile.values > 0 {
                    why += "; \(profile.times + profile.ambiguousDates)/\(profile.values) sampled values are times"
                }
                return Choice(
                    role: .updatedAt, column: sample.columns[index].name, why: why,
                    confidence: confidence(score), check: check)
            }
            let named = sample.columns.indices.filter { matches[$0]?.role == .updatedAt && timed($0) }
                .sorted { (matches[$0]?.how == .name ? 0 : 1, $0) < (matches[$1]?.how == .name ? 0 : 1, $1) }
            if let index = named.first, let match = matches[index] {
                let label = kindOfName(sample.columns[index])
                let how = match.how == .name ? "(dictionary)" : "holds '\(match.word)'"
                return (
                    choice(
                        index, "\(label) \(shownName(sample.columns[index])) \(how)", match.how == .name ? 0.95 : 0.65,
                        check: match.how == .keyword ? "keyword match: is it the record's update time?" : nil), nil
                )
            }
            if interactions,
                let index = sample.columns.indices.first(where: { matches[$0]?.role == .contact(.startedAt) && timed($0) })
            {
                return (choice(index, "a call is as new as its start (\(sample.columns[index].name))", 0.9), nil)
            }
            if let index = sample.columns.indices.first(where: { matches[$0]?.role == .field(.createdAt) && timed($0) }) {
                return (
                    choice(
                        index, "no update time; the creation time \(shownName(sample.columns[index])) stands in", 0.5,
                        check: "a record changed after it was created looks older than it is"), nil
                )
            }
            if let index = sample.columns.indices.first(where: {
                matches[$0] == nil && !isLabel(sample.columns[$0])
                    && profile($0).values > 0 && profile($0).share(profile($0).times) >= 0.8
            }) {
                return (
                    choice(
                        index,
                        "\(kindOfName(sample.columns[index])) \(sample.columns[index].name) says nothing, but its values are times",
                        0.35,
                        check: "is this the record's update time?"), nil
                )
            }
            return (
                nil,
                """
                no column holds an update time: survivorship then lets this source fill empty fields only, and \
                sync lag is not measured for it
                """
            )
        }

        // MARK: fields

        func chooseFields(interactions: Bool, idColumn: String, updatedAt: Choice?) -> [Choice] {
            var candidates: [Candidate] = []
            for (index, column) in sample.columns.enumerated() where column.name != idColumn {
                let profile = profile(index)
                var fromHeader: Candidate?
                if let match = matches[index], let role = allowed(match.role, interactions: interactions) {
                    fromHeader = headerCandidate(role, match, index: index, profile: profile)
                    if let candidate = fromHeader { candidates.append(candidate) }
                    // 电话 that holds mobiles: the phone, when no column says so.
                    if role == .field(.landline), profile.values >= 3, profile.share(profile.mobiles) >= 0.5 {
                        candidates.append(
                            Candidate(
                                role: .field(.phone), column: index, score: 0.6,
                                why: [
                                    "\(kindOfName(column)) \(shownName(column)) (dictionary: a landline)",
                                    "but \(profile.mobiles)/\(profile.values) sampled values are mobiles",
                                ],
                                check: "a landline column holding mobiles: phone or landline?"))
                    }
                }
                if (fromHeader?.score ?? 0) < 0.5 {
                    candidates += valueCandidates(index: index, profile: profile, interactions: interactions)
                }
            }
            // The update-time column also maps as what it is when that is a field (a creation time
            // or a call's start); it competes for nothing else.
            let updatedIndex = updatedAt.flatMap { choice in sample.columns.firstIndex { $0.name == choice.column } }
            candidates.removeAll { candidate in
                candidate.column == updatedIndex
                    && candidate.role != .field(.createdAt) && candidate.role != .contact(.startedAt)
            }
            candidates.removeAll { $0.role == .updatedAt || $0.role == .id }
            var used = Set<Int>()
            var chosen: [Choice] = []
            var done = Set<ColumnRole>()
            for candidate in candidates.sorted(by: { ($0.score, -$0.column) > ($1.score, -$1.column) }) {
                guard candidate.score >= minimumScore, !done.contains(candidate.role), !used.contains(candidate.column) else {
                    continue
                }
                done.insert(candidate.role)
                // The same question worded otherwise in other records joins it: one path per field.
                let family = candidates.filter { other in
                    other.role == candidate.role && other.score >= minimumScore && !used.contains(other.column)
                        && sameFamily(other.column, candidate.column)
                        && (other.column == candidate.column || (!other.byValues && !candidate.byValues))
                }.sorted { ($0.score, profile($0.column).values) > ($1.score, profile($1.column).values) }
                for member in family { used.insert(member.column) }
                chosen.append(joined(family.isEmpty ? [candidate] : family))
            }
            let order = ["phone", "landline", "tax_id", "name", "company"]
            return chosen.sorted { a, b in
                let ia =
                    order.firstIndex(of: a.role.description)
                    ?? (CanonicalField.allCases.map(\.rawValue).firstIndex(of: a.role.description) ?? 50) + 10
                let ib =
                    order.firstIndex(of: b.role.description)
                    ?? (CanonicalField.allCases.map(\.rawValue).firstIndex(of: b.role.description) ?? 50) + 10
                return ia < ib
            }
        }

        /// The role as the source's kind may map it; nil for a role it cannot map.
        func allowed(_ role: ColumnRole, interactions: Bool) -> ColumnRole? {
            switch role {
            case .caller: return .field(.phone)
            case .id, .updatedAt: return role
            case .field(.phone), .field(.landline): return role
            case .field: return interactions ? nil : role
            case .contact: return interactions ? role : nil
            }
        }

        func headerCandidate(_ role: ColumnRole, _ match: HeaderMatch, index: Int, profile: ValueProfile) -> Candidate? {
            let column = sample.columns[index]
            let label = kindOfName(column)
            var score = match.how == .name ? 0.9 : 0.6
            var why = [
                match.how == .name
                    ? "\(label) \(shownName(column)) (dictionary)"
                    : "\(label) \(shownName(column)) holds '\(match.word)'"
            ]
            var check = match.caution
            if match.caution != nil { score -= 0.2 }
            let enough = profile.values >= 3
            func evidence(_ count: Int, _ what: String, bar: Double = 0.5) {
                guard enough else { return }
                if profile.share(count) >= bar {
                    score += 0.1
                    why.append("\(count)/\(profile.values) sampled values \(what)")
                } else {
                    score -= 0.45
                    why.append("only \(count)/\(profile.values) sampled values \(what)")
                    check = check ?? "the values do not look like a \(role)"
                }
            }
            switch role {
            case .field(.phone):
                if enough && profile.share(profile.mobiles) < 0.5 && profile.share(profile.mobiles + profile.landlines) >= 0.5 {
                    why.append("\(profile.mobiles)/\(profile.values) sampled values are mobiles, \(profile.landlines) landlines")
                } else {
                    evidence(profile.mobiles, "are valid mobiles")
                }
            case .field(.landline): evidence(profile.landlines + profile.mobiles, "are phone numbers")
            case .field(.taxID): evidence(profile.taxIDs + profile.legacyTaxIDs, "are valid tax IDs")
            case .field(.createdAt), .field(.lastContactAt), .field(.nextFollowupAt), .contact(.startedAt):
                evidence(profile.times + profile.ambiguousDates, "are times")
            case .contact(.durationSeconds): evidence(profile.integers, "are whole numbers", bar: 0.8)
            case .field(.name) where enough && profile.share(profile.names) >= 0.5:
                score += 0.05
                why.append("\(profile.names)/\(profile.values) sampled values are personal names")
            case .field(.company) where enough && profile.share(profile.companies) >= 0.5:
                score += 0.05
                why.append("\(profile.companies)/\(profile.values) sampled values are company names")
            case .field(.address) where enough && profile.share(profile.addresses) >= 0.5:
                score += 0.05
                why.append("\(profile.addresses)/\(profile.values) sampled values resolve to a place")
            default:
                if match.how == .keyword { check = check ?? "matched by a word of the header only" }
            }
            if profile.values == 0 && sample.records > 0 {
                why.append("empty in the \(sample.records) sampled records")
            }
            return Candidate(role: role, column: index, score: score, why: why, check: check)
        }

        /// Where a header says nothing (or nothing credible): what the values say.
        func valueCandidates(index: Int, profile: ValueProfile, interactions: Bool) -> [Candidate] {
            guard profile.values >= 3 else { return [] }
            let column = sample.columns[index]
            let said =
                matches[index] == nil
                ? "\(kindOfName(column)) \(shownName(column)) says nothing"
                : "the header's meaning does not fit the values"
            func candidate(_ role: ColumnRole, _ count: Int, _ what: String, _ score: Double, check: String? = nil) -> Candidate {
                Candidate(
                    role: role, column: index, score: score, why: [said, "\(count)/\(profile.values) sampled values \(what)"],
                    check: check ?? "chosen by its values alone", byValues: true)
            }
            var candidates: [Candidate] = []
            if profile.share(profile.mobiles) >= 0.6 {
                candidates.append(candidate(.field(.phone), profile.mobiles, "are valid mobiles", 0.65))
            } else if profile.share(profile.landlines) >= 0.6 {
                candidates.append(candidate(.field(.landline), profile.landlines, "are landlines", 0.55))
            }
            if profile.share(profile.taxIDs) >= 0.6 {
                candidates.append(candidate(.field(.taxID), profile.taxIDs, "are valid USCCs", 0.65))
            }
            guard !interactions else { return candidates }
            if profile.share(profile.companies) >= 0.6 {
                candidates.append(candidate(.field(.company), profile.companies, "are company names", 0.5))
            } else if profile.share(profile.addresses) >= 0.6 {
                candidates.append(candidate(.field(.address), profile.addresses, "resolve to a place", 0.45))
            } else if profile.share(profile.names) >= 0.8 {
                candidates.append(candidate(.field(.name), profile.names, "are personal names", 0.4))
            }
            return candidates
        }

        /// Columns that read one question worded otherwise: form answers of one text, or JSON
        /// answers chosen by label from one array.
        func sameFamily(_ a: Int, _ b: Int) -> Bool {
            let x = sample.columns[a], y = sample.columns[b]
            if let p = x.answer, let q = y.answer { return p.base == q.base }
            if let p = x.selector, let q = y.selector { return p.base == q.base && p.key == q.key && p.rest == q.rest }
            return a == b
        }

        /// One choice of a family of candidates (one candidate, or labels joined: `Content#手机|电话`).
        func joined(_ family: [Candidate]) -> Choice {
            let first = family[0]
            let column = sample.columns[first.column]
            var name = column.name
            var why = first.why
            if family.count > 1 {
                let labels = family.map { sample.columns[$0.column] }.compactMap { $0.answer?.label ?? $0.selector?.label }
                if let answer = column.answer {
                    name = "\(answer.base)#\(labels.joined(separator: "|"))"
                } else if let selector = column.selector {
                    name = selector.path(labels: labels)
                }
                let values = family.reduce(0) { $0 + profile($1.column).values }
                why = ["labels \(labels.joined(separator: ", ")) (dictionary)", "\(values) answers in the sampled records"]
            }
            let score = family.map(\.score).max() ?? first.score
            return Choice(
                role: first.role, column: name, why: why.joined(separator: "; "), confidence: confidence(score),
                check: family.compactMap(\.check).first ?? (score < 0.5 ? "a guess" : nil))
        }

        // MARK: date order

        func settleDateOrder(_ draft: inout SourceDraft) {
            let dated = ([draft.updatedAt] + draft.fields.map { Optional($0) }).compactMap { $0 }.filter { choice in
                switch choice.role {
                case .updatedAt, .field(.createdAt), .field(.lastContactAt), .field(.nextFollowupAt), .contact(.startedAt): true
                default: false
                }
            }
            let profiles = dated.compactMap { self.profiles[$0.column] }
            let orders = Set(profiles.compactMap(\.dateOrder))
            if orders.count == 1, let order = orders.first {
                draft.dateOrder = order
                draft.dateOrderWhy =
                    order == .dmy
                    ? "dates such as 21/11/2026 put the day first" : "dates such as 11/21/2026 put the month first"
            } else if orders.count > 1 {
                draft.notes.append(("some dates put the day first, others the month: set date_order per source", true))
            } else if profiles.contains(where: { $0.ambiguousDates > 0 }) {
                draft.notes.append(
                    (
                        "dates such as 05/11/2026 could be day or month first, and no sampled value settles it: "
                            + "set date_order: dmy or mdy, or they are left empty as ambiguous", true
                    ))
            }
        }

        // MARK: unmapped

        func unmapped(_ draft: SourceDraft) -> [String] {
            var mapped = Set([draft.id.column] + (draft.updatedAt.map { [$0.column] } ?? []) + draft.fields.map(\.column))
            for choice in draft.fields {
                // A joined family maps every member.
                for column in sample.columns where column.answer != nil || column.selector != nil {
                    let label = column.answer?.label ?? column.selector?.label ?? ""
                    if let answer = column.answer, choice.column.hasPrefix(answer.base + "#"),
                        choice.column.dropFirst(answer.base.count + 1).split(separator: "|").contains(Substring(label))
                    {
                        mapped.insert(column.name)
                    }
                    if let selector = column.selector, choice.column.hasPrefix(selector.base + "[" + selector.key + "="),
                        choice.column.hasSuffix("]" + selector.rest),
                        choice.column.dropFirst(selector.base.count + selector.key.count + 2).dropLast(selector.rest.count + 1)
                            .split(separator: "|").contains(Substring(label))
                    {
                        mapped.insert(column.name)
                    }
                }
            }
            // A text whose answers are mapped is read through them.
            let bases = Set(sample.columns.compactMap { $0.answer?.base })
            let left = sample.columns.filter { column in
                !mapped.contains(column.name)
                    && !(bases.contains(column.name) && draft.fields.contains { $0.column.hasPrefix(column.name + "#") })
            }
            // The members of a family say one thing once: answers[label=手机|税号].type.
            var names: [String] = []
            var families: [String: [String]] = [:]
            for column in left {
                let profile = profiles[column.name] ?? ValueProfile()
                let empty = profile.values == 0 ? " (empty in the sample)" : ""
                if let selector = column.selector {
                    let family = selector.path(labels: ["…"])
                    if families[family] == nil { names.append(family) }
                    families[family, default: []].append(selector.label)
                } else {
                    names.append(column.name + empty)
                }
            }
            return names.map { name in
                guard let labels = families[name],
                    let selector = left.first(where: { $0.selector?.path(labels: ["…"]) == name })?.selector
                else { return name }
                return selector.path(labels: labels)
            }
        }

        func confidence(_ score: Double) -> Choice.Confidence {
            score >= 0.85 ? .sure : score >= 0.55 ? .likely : .guess
        }
    }
}
