import Extract
import Foundation
import Load
import Transform

/// What a run would do with the first records of a pipeline's sources, worked out without a
/// batch: each record's raw cells, its normalized values, and its outcome (new customer,
/// update, pending, rejected) with the reason, judged against the pipeline's store when it
/// exists. The store is only read (`StoreLookup`).
///
/// ```swift
/// let preview = try Preview.make(config, options: .init(system: "crm", rows: 20))
/// print(preview.text)
/// ```
package struct Preview: Sendable {
    package enum Decision: String, Sendable, Codable, CaseIterable {
        /// A new master customer (its key is in no customer yet).
        case new
        /// An existing customer: the key is in the store, or the record links to one customer
        /// by its mobile, tax ID or landline, or the store holds the record already.
        case update
        /// Valid, but waiting: no single customer holds its mobile or tax ID yet.
        case pending
        case rejected
    }

    package struct Options: Sendable {
        /// Only this source system; nil: every source.
        package var system: String?
        /// Records per source.
        package var rows = 10
        /// Overrides the pipeline's store.
        package var store: String?

        package init(system: String? = nil, rows: Int = 10, store: String? = nil) {
            self.system = system
            self.rows = rows
            self.store = store
        }
    }

    /// One mapped cell of a record: the column, its raw text, the field it feeds and what that became.
    package struct Cell: Sendable, Codable, Equatable {
        package var column: String
        package var raw: String
        /// `id`, `updated_at`, a canonical or a contact field.
        package var field: String
        /// The normalized value; nil when the cell is empty or refused.
        package var value: String?
        /// What else the normalizer said: a phone's kind (mobile, landline), a name's pinyin.
        package var detail: String?
        /// The normalizer's reason code when it refused the value (`too_short`, `bad_check_character`).
        package var refused: String?
    }

    package struct Record: Sendable, Codable, Equatable {
        package var file: String
        package var locator: String
        package var sourceID: String
        package var decision: Decision
        /// The reject's reason code, for a rejected record.
        package var reasonCode: String?
        /// Why, in words: "would wait: no customer holds this mobile yet".
        package var why: String
        /// The customer it creates or updates (64 hex digits).
        package var customerKey: String?
        package var cells: [Cell]

        enum CodingKeys: String, CodingKey {
            case file, locator, decision, why, cells
            case sourceID = "source_id"
            case reasonCode = "reason_code"
            case customerKey = "customer_key"
        }
    }

    package struct File: Sendable, Codable, Equatable {
        package var path: String
        /// The batch that already loaded this very file: a run skips it unless forced.
        package var loadedBy: String?
        /// Why the file cannot be read, when it cannot.
        package var error: String?

        enum CodingKeys: String, CodingKey {
            case path, error
            case loadedBy = "loaded_by"
        }
    }

    package struct Source: Sendable, Codable, Equatable {
        package var system: String
        package var kind: String
        package var files: [File] = []
        package var records: [Record] = []

        /// Records per decision.
        package var counts: [Decision: Int] {
            records.reduce(into: [:]) { $0[$1.decision, default: 0] += 1 }
        }
    }

    package var pipeline: String
    /// The store judged against; nil when it does not exist yet (every keyed record is new).
    package var store: String
    package var storeExists: Bool
    package var sources: [Source] = []
}

/// Why a preview cannot be made.
package struct PreviewError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

extension Preview {
    package static func make(_ config: PipelineConfig, options: Options) throws(PreviewError) -> Preview {
        let sources = config.sources.filter { options.system == nil || $0.system == options.system }
        if let system = options.system, sources.isEmpty {
            let known = config.sources.map(\.system).joined(separator: ", ")
            throw PreviewError(message: "the pipeline has no source '\(system)'; its sources: \(known)")
        }
        var location = config.store
        if let url = options.store {
            do {
                location = try StoreLocation.parse(url, relativeTo: FileManager.default.currentDirectoryPath)
            } catch {
                throw PreviewError(message: error.message)
            }
        }
        guard case .sqlite(let storePath) = location else {
            throw PreviewError(
                message: "preview judges records against a SQLite store only; \(location) is PostgreSQL: name a sqlite: --store")
        }
        var lookup: StoreLookup?
        if FileManager.default.fileExists(atPath: storePath) {
            do {
                lookup = try StoreLookup(path: storePath)
            } catch {
                throw PreviewError(message: error.message)
            }
        }
        var preview = Preview(pipeline: config.name, store: storePath, storeExists: lookup != nil)
        var judge = Judge(
            lookup: lookup, keyer: CustomerKeyer(secret: config.secret), timestamps: TimestampParser(timeZone: config.timeZone))
        for source in sources {
            judge.sourceIndex = preview.sources.count
            preview.sources.append(try judge.preview(source, config: config, rows: options.rows))
        }
        do {
            try judge.lastPass(&preview)
        } catch {
            throw PreviewError(message: "\(error)")
        }
        return preview
    }
}

/// Works out each record's outcome the way a batch would, remembering what the records
/// before it in this preview would have made (a customer created by one record is updated by
/// the next record of the same key).
private struct Judge {
    let lookup: StoreLookup?
    let keyer: CustomerKeyer
    /// The pipeline's zone: times show as the store writes them.
    let timestamps: TimestampParser
    let addresses = AddressParser()
    /// Customers the preview's records would create: key → (mobile, tax ID, landline).
    var created: [CustomerKey: (mobile: String?, taxID: String?, landline: String?)] = [:]
    /// Records seen per system and source id: the digest and where, to tell a repeat.
    var seen: [String: (digest: Int64, locator: String)] = [:]
    /// Pending records to try again once every record is shown: source and record index.
    var waiting: [(source: Int, record: Int, canonical: CanonicalRecord, unchanged: Bool)] = []
    /// Where the record being judged goes in the preview.
    var sourceIndex = 0
    var recordIndex = 0

    mutating func preview(_ source: SourceConfig, config: PipelineConfig, rows: Int) throws(PreviewError) -> Preview.Source {
        var out = Preview.Source(system: source.system, kind: source.kind.rawValue)
        let files: [String]
        switch config.files(of: source) {
        case .success(let matched): files = matched
        case .failure(let issue): throw PreviewError(message: issue.description)
        }
        let dedupe = DedupeIndex()
        for file in files where out.records.count < rows {
            var entry = Preview.File(path: file)
            do {
                try checkSourceFile(file)
                if let lookup {
                    entry.loadedBy = try? lookup.batchThatLoaded(system: source.system, sha256: checksum(of: file).sha256)
                }
                let reader = try makeReader(for: source, path: file)
                let mapping: FieldMapping
                do {
                    mapping = try source.mapping(header: reader.columns, file: file, pipeline: config.file)
                } catch {
                    throw PreviewError(message: error.description)
                }
                let normalizer = RecordNormalizer(
                    system: source.system, mapping: mapping,
                    timestamps: TimestampParser(timeZone: config.timeZone, dateOrder: source.dateOrder), keyer: keyer,
                    addresses: addresses, options: options(of: source))
                let filter: RowFilter?
                do {
                    filter = try RowFilter(rules: source.rules, mapping: mapping, dedupeIndex: dedupe)
                } catch {
                    throw PreviewError(message: "\(file): \(error.message)")
                }
                out.files.append(entry)
                while out.records.count < rows, let next = try reader.next() {
                    recordIndex = out.records.count
                    out.records.append(try judge(next, file: file, source: source, normalizer: normalizer, filter: filter))
                }
            } catch let error as ExtractError {
                entry.error = error.message
                out.files.append(entry)
            } catch let error as PreviewError {
                throw error
            } catch {
                entry.error = "\(error)"
                out.files.append(entry)
            }
        }
        return out
    }

    private func options(of source: SourceConfig) -> RecordNormalizer.Options {
        var options = RecordNormalizer.Options()
        options.legacyTaxIDForms = source.legacyTaxIDFormsKey
        options.areaCodeResolvesAddress = source.areaCodeResolvesAddress
        options.interactions = source.kind == .interactions
        options.contactChannel = source.contactChannel
        return options
    }

    private mutating func judge(
        _ result: ReadResult, file: String, source: SourceConfig, normalizer: RecordNormalizer,
        filter: RowFilter?
    ) throws -> Preview.Record {
        let mapping = normalizer.mapping
        switch result {
        case .unreadable(let problem):
            let id = mapping.idColumn < problem.values.count ? problem.values[mapping.idColumn].trimmingBlanks() : ""
            return Preview.Record(
                file: file, locator: problem.locator.description, sourceID: id, decision: .rejected,
                reasonCode: RejectReason(problem.refusal).rawValue, why: problem.message,
                cells: cells(of: problem.values, source: source, mapping: mapping, canonical: nil))
        case .record(let record):
            var out = Preview.Record(
                file: file, locator: record.locator.description, sourceID: normalizer.sourceID(of: record),
                decision: .rejected, why: "",
                cells: cells(of: record.values, source: source, mapping: mapping, canonical: nil))
            if let rejection = try filter?.check(record) {
                out.reasonCode = rejection.reason.rawValue
                out.why = rejection.message
                return out
            }
            switch normalizer.normalize(record) {
            case .failure(let rejection):
                out.reasonCode = rejection.reason.rawValue
                out.why = rejection.message
                out.cells = cells(of: record.values, source: source, mapping: mapping, canonical: nil)
            case .success(let canonical):
                out.cells = cells(of: record.values, source: source, mapping: mapping, canonical: canonical)
                try decide(canonical, into: &out)
            }
            return out
        }
    }

    /// The outcome of an accepted record, as the batch's merge and its pending pass would have it.
    private mutating func decide(_ canonical: CanonicalRecord, into out: inout Preview.Record) throws {
        let reference = canonical.sourceSystem + "\u{1F}" + canonical.sourceID
        if let earlier = seen[reference], earlier.digest == canonical.digest {
            out.decision = .rejected
            out.reasonCode = RejectReason.duplicate.rawValue
            out.why = "repeats \(canonical.sourceID) of \(earlier.locator) with the same values"
            return
        }
        seen[reference] = (canonical.digest, out.locator)
        let stored = try lookup?.record(system: canonical.sourceSystem, sourceID: canonical.sourceID)
        let same = stored.map { $0.digest == canonical.digest } ?? false
        if let key = canonical.key {
            out.customerKey = key.hex
            if same {
                out.decision = .update
                out.why = "unchanged: the store holds \(canonical.sourceID) with these values; nothing is written"
            } else if try lookup?.hasCustomer(key: key) == true {
                out.decision = .update
                out.why = "the key (mobile + tax ID) is a customer in the store"
            } else if created[key] != nil {
                out.decision = .update
                out.why = "the key (mobile + tax ID) is the customer an earlier record here creates"
            } else {
                out.decision = .new
                out.why = "mobile \(canonical.mobile ?? "") + tax ID \(canonical.taxID ?? "") make a key no customer has"
                created[key] = (canonical.mobile, canonical.taxID, canonical[.landline])
            }
            return
        }
        // No key: it waits as pending and the batch's last pass links it through a value that
        // exactly one customer holds: the mobile, then the tax ID, then (calls without a mobile)
        // a landline. Customers made by records further down are tried again in `lastPass`.
        try link(canonical, unchanged: same, into: &out)
        if out.decision == .pending { waiting.append((sourceIndex, recordIndex, canonical, same)) }
    }

    /// Links a record without a key to the one customer holding its mobile, tax ID or landline,
    /// or says why it waits.
    private func link(_ canonical: CanonicalRecord, unchanged: Bool, into out: inout Preview.Record) throws {
        let contact = canonical.contactOnly
        var reasons: [String] = []
        var ambiguous = false
        let tries: [(value: String?, via: Via)] = [
            (canonical.mobile, .mobile), (canonical.taxID, .taxID),
            (canonical.mobile == nil && canonical.taxID == nil ? canonical[.landline] : nil, .landline),
        ]
        for attempt in tries {
            guard let value = attempt.value else { continue }
            let keys = try holders(attempt.via, value)
            if keys.count == 1, let key = keys.first {
                out.decision = .update
                out.customerKey = key.hex
                out.why =
                    contact
                    ? "a contact of the customer holding \(attempt.via.rawValue) \(value): moves its last_contact_at"
                    : "links by \(attempt.via.rawValue) \(value) to the one customer holding it (end of the batch)"
                if unchanged { out.why += "; unchanged since the store took it" }
                return
            }
            if keys.count > 1 {
                ambiguous = true
                reasons.append("several customers hold \(attempt.via.rawValue) \(value)")
            } else {
                reasons.append("no customer holds \(attempt.via.rawValue) \(value) yet")
            }
        }
        out.decision = .pending
        let missing =
            contact ? "" : canonical.mobile == nil ? " (no valid mobile)" : canonical.taxID == nil ? " (no valid tax ID)" : ""
        out.why = "would wait\(missing): " + reasons.joined(separator: "; ")
        if ambiguous { out.why += "; it links once only one does" }
    }

    /// The batch's last pass: a record that waited may link to a customer that a record shown
    /// after it makes.
    func lastPass(_ preview: inout Preview) throws {
        for (source, index, canonical, unchanged) in waiting {
            var record = preview.sources[source].records[index]
            try link(canonical, unchanged: unchanged, into: &record)
            guard record.decision == .update else { continue }
            record.why += "; the customer is made by a record shown after this one"
            preview.sources[source].records[index] = record
        }
    }

    private enum Via: String {
        case mobile, taxID = "tax ID", landline
    }

    /// The customers holding a value: in the store, or made by an earlier record here.
    private func holders(_ via: Via, _ value: String) throws -> Set<CustomerKey> {
        let stored: [CustomerKey]
        let here: [CustomerKey]
        switch via {
        case .mobile:
            stored = try lookup?.customers(mobile: value) ?? []
            here = created.filter { $0.value.mobile == value }.map(\.key)
        case .taxID:
            stored = try lookup?.customers(taxID: value) ?? []
            here = created.filter { $0.value.taxID == value }.map(\.key)
        case .landline:
            stored = try lookup?.customers(landline: value) ?? []
            here = created.filter { $0.value.landline == value }.map(\.key)
        }
        return Set(stored + here)
    }

    /// The mapped cells in the pipeline's order (id, updated_at, then the fields), each with what
    /// it became in `canonical`.
    func cells(
        of values: [String], source: SourceConfig, mapping: FieldMapping,
        canonical: CanonicalRecord?
    ) -> [Preview.Cell] {
        func raw(_ index: Int?) -> String {
            guard let index, index < values.count else { return "" }
            return values[index]
        }
        func refusal(_ field: String, raw: String) -> String? {
            guard !raw.isBlank else { return nil }
            guard let canonical else { return Self.refusal(of: field, raw: raw) }
            return canonical.refusals.first { $0.field == field }?.reason
        }
        var cells: [Preview.Cell] = []
        let id = raw(mapping.idColumn).trimmingBlanks()
        cells.append(Preview.Cell(column: source.id, raw: raw(mapping.idColumn), field: "id", value: id.isEmpty ? nil : id))
        if let column = source.updatedAt {
            let text = raw(mapping.updatedAtColumn)
            cells.append(
                Preview.Cell(
                    column: column, raw: text, field: "updated_at",
                    value: canonical?.updatedAt.map(timestamps.iso8601),
                    refused: canonical == nil ? nil : refusal("updated_at", raw: text)))
        }
        for ((field, column), (_, index)) in zip(source.fields, mapping.columns) {
            let shown = canonical.flatMap { Self.value(of: field, raw: raw(index), in: $0) }
            cells.append(
                Preview.Cell(
                    column: column, raw: raw(index), field: field.rawValue, value: shown?.value,
                    detail: shown?.detail, refused: refusal(field.rawValue, raw: raw(index))))
        }
        for ((field, column), (_, index)) in zip(source.contactFields, mapping.contactColumns) {
            cells.append(
                Preview.Cell(
                    column: column, raw: raw(index), field: field.rawValue,
                    value: canonical?.contact.flatMap { value(of: field, in: $0) },
                    refused: canonical == nil ? nil : refusal(field.rawValue, raw: raw(index))))
        }
        return cells
    }

    /// Why a normalizer refuses a record's identifying cell, for a record rejected before its
    /// values were kept (no_identifier says it in a sentence; the cell says it where it is).
    private static func refusal(of field: String, raw: String) -> String? {
        switch field {
        case CanonicalField.phone.rawValue, CanonicalField.landline.rawValue:
            if case .failure(let refusal) = normalizePhone(raw) { return refusal.rawValue }
        case CanonicalField.taxID.rawValue:
            if case .failure(let refusal) = normalizeTaxID(raw) { return refusal.rawValue }
        default: break
        }
        return nil
    }

    private static func value(of field: CanonicalField, raw: String, in record: CanonicalRecord) -> (
        value: String, detail: String?
    )? {
        guard !raw.isBlank else { return nil }
        switch field {
        case .phone:
            if let mobile = record.mobile, normalizePhones(raw).contains(where: { (try? $0.get().e164) == mobile }) {
                return (mobile, "mobile")
            }
            if let landline = record[.landline] { return (landline, "landline") }
            return record.mobile.map { ($0, "mobile") }
        case .landline: return record[.landline].map { ($0, nil) }
        case .taxID: return record.taxID.map { ($0, nil) }
        case .name: return record[.name].map { ($0, record[.namePinyin]) }
        case .address:
            let area = [record[.province], record[.city], record[.district]].compactMap { $0 }
                .reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }.joined(separator: " ")
            let parts = [area.isEmpty ? nil : area, record[.addressDetail]].compactMap { $0 }
            return parts.isEmpty ? nil : (parts.joined(separator: " · "), record[.adcode])
        default:
            let column = MasterColumn.allCases.first { $0.field == field }!
            return record[column].map { ($0, nil) }
        }
    }

    private func value(of field: ContactField, in contact: Contact) -> String? {
        switch field {
        case .startedAt: contact.startedAt.map(timestamps.iso8601)
        case .channel: contact.channel
        case .agent: contact.agent
        case .durationSeconds: contact.durationSeconds.map { "\($0) s" }
        case .outcome: contact.outcome
        case .called: contact.called
        }
    }
}
