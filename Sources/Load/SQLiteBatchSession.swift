import Foundation
import GRDB
import Transform

/// The writes of one batch inside its transaction. Statements are prepared once per batch;
/// `merge` is the per-row hot path.
final class SQLiteBatchSession: BatchSession {
    private let db: Database
    private let batch: BatchInfo
    private let asOfText: String
    /// Pending records read by this batch, to tell its own links from earlier batches'.
    private var pendingThisBatch: Set<String> = []

    private let insertXref: Statement
    private let selectXref: Statement
    private let updateXref: Statement
    private let insertCustomer: Statement
    private let selectCustomer: Statement
    private let updateCustomer: Statement
    private let insertChange: Statement
    private let insertLandline: Statement

    private static let masterColumns = MasterColumn.allCases.map(\.name)

    init(db: Database, batch: BatchInfo) throws {
        self.db = db
        self.batch = batch
        asOfText = batch.timestamps.iso8601(batch.asOf)
        insertXref = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO xref (source_system, source_id, customer_key, state, link, batch_id, digest, updated_at, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        selectXref = try db.makeStatement(sql: """
            SELECT state, batch_id, digest FROM xref WHERE source_system = ? AND source_id = ?
            """)
        updateXref = try db.makeStatement(sql: """
            UPDATE xref SET customer_key = ?, state = ?, link = ?, batch_id = ?, digest = ?, updated_at = ?, record = ?
            WHERE source_system = ? AND source_id = ?
            """)
        let columns = Self.masterColumns.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: Self.masterColumns.count).joined(separator: ", ")
        insertCustomer = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO customers (customer_key, phone_e164, tax_id, \(columns), updated_at, provenance,
                created_batch, changed_batch)
            VALUES (?, ?, ?, \(placeholders), ?, ?, ?, ?)
            """)
        selectCustomer = try db.makeStatement(sql: """
            SELECT \(columns), updated_at, provenance FROM customers WHERE customer_key = ?
            """)
        let assignments = Self.masterColumns.map { "\($0) = ?" }.joined(separator: ", ")
        updateCustomer = try db.makeStatement(sql: """
            UPDATE customers SET \(assignments), updated_at = ?, provenance = ?, changed_batch = ? WHERE customer_key = ?
            """)
        insertChange = try db.makeStatement(sql: """
            INSERT INTO change_log (batch_id, customer_key, field, old_value, new_value, source_system, source_id, changed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertLandline = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO landlines (landline_e164, customer_key) VALUES (?, ?)
            """)
    }

    func batchThatLoaded(system: String, sha256: String) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT batch_id FROM batch_files WHERE source_system = ? AND sha256 = ? LIMIT 1
            """, arguments: [system, sha256])
    }

    func recordFile(_ file: LoadedFile) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO batch_files (batch_id, source_system, path, sha256, bytes, records) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [batch.id, file.system, file.path, file.sha256, file.bytes, file.records])
    }

    // MARK: - Merge

    func merge(_ record: CanonicalRecord) throws -> MergeOutcome {
        let key = record.key.map { Data($0.bytes) }
        let state = key == nil ? "pending" : "merged"
        let digest = record.digest
        let encoded = record.encoded
        let updatedAt = record.updatedAt.map(batch.timestamps.iso8601)
        insertXref.setUncheckedArguments([record.sourceSystem, record.sourceID, key, state, key == nil ? "" : "key",
                                          batch.id, digest, updatedAt, encoded])
        try insertXref.execute()
        if db.changesCount == 0 {
            let previous = try Row.fetchOne(selectXref, arguments: [record.sourceSystem, record.sourceID])!
            if previous["digest"] as Int64 == digest {
                if previous["batch_id"] as String == batch.id { return .duplicate }
                let pending = previous["state"] as String == "pending"
                if pending { pendingThisBatch.insert(Self.reference(record.sourceSystem, record.sourceID)) }
                return .unchanged(pending: pending)
            }
            updateXref.setUncheckedArguments([key, state, key == nil ? "" : "key", batch.id, digest, updatedAt, encoded,
                                              record.sourceSystem, record.sourceID])
            try updateXref.execute()
        }
        guard let key else {
            pendingThisBatch.insert(Self.reference(record.sourceSystem, record.sourceID))
            return .pending
        }
        return try upsertCustomer(key: key, record: record)
    }

    private func upsertCustomer(key: Data, record: CanonicalRecord) throws -> MergeOutcome {
        var master = MasterValues()
        _ = batch.survivorship.merge(record, into: &master)
        var arguments: [(any DatabaseValueConvertible)?] = [key, record.mobile, record.taxID]
        arguments.append(contentsOf: master.values.map { $0 as (any DatabaseValueConvertible)? })
        let updatedAt: String? = record.updatedAt.map(batch.timestamps.iso8601)
        arguments.append(updatedAt)
        arguments.append(Data(Provenance.encode(master.provenance)))
        arguments.append(batch.id)
        arguments.append(batch.id)
        insertCustomer.setUncheckedArguments(StatementArguments(arguments))
        try insertCustomer.execute()
        if db.changesCount == 1 {
            try logChange(key: key, field: "*", old: nil, new: Self.json(master.values), record: record)
            try addLandline(record, key: key)
            return .created
        }
        let changes = try mergeIntoExisting(key: key, record: record)
        return .updated(changes: changes)
    }

    /// Applies survivorship against the stored customer; returns the number of changed columns.
    private func mergeIntoExisting(key: Data, record: CanonicalRecord) throws -> Int {
        guard let row = try Row.fetchOne(selectCustomer, arguments: [key]) else { return 0 }
        var master = MasterValues()
        for index in MasterColumn.allCases.indices { master.values[index] = row[index] }
        let storedUpdatedAt: String? = row[MasterColumn.allCases.count]
        let provenanceData: Data = row[MasterColumn.allCases.count + 1]
        master.provenance = Provenance.decode(provenanceData, count: SurvivingField.all.count)
        let before = master.provenance
        let changes = batch.survivorship.merge(record, into: &master)
        let recordUpdatedAt = record.updatedAt.map(batch.timestamps.iso8601)
        let newUpdatedAt = [storedUpdatedAt, recordUpdatedAt].compactMap { $0 }.max()
        try addLandline(record, key: key)
        guard !changes.isEmpty || before != master.provenance || newUpdatedAt != storedUpdatedAt else { return 0 }
        var arguments: [(any DatabaseValueConvertible)?] = master.values.map { $0 as (any DatabaseValueConvertible)? }
        arguments.append(newUpdatedAt)
        arguments.append(Data(Provenance.encode(master.provenance)))
        arguments.append(batch.id)
        arguments.append(key)
        updateCustomer.setUncheckedArguments(StatementArguments(arguments))
        try updateCustomer.execute()
        for change in changes {
            try logChange(key: key, field: change.column.name, old: change.old, new: change.new, record: record)
        }
        return changes.count
    }

    private func logChange(key: Data, field: String, old: String?, new: String?, record: CanonicalRecord) throws {
        insertChange.setUncheckedArguments([batch.id, key, field, old, new, record.sourceSystem, record.sourceID, asOfText])
        try insertChange.execute()
    }

    private func addLandline(_ record: CanonicalRecord, key: Data) throws {
        guard let landline = record[.landline] else { return }
        insertLandline.setUncheckedArguments([landline, key])
        try insertLandline.execute()
    }

    // MARK: - Rejects and pending

    func reject(_ reject: RejectRow) throws {
        try db.execute(sql: """
            INSERT INTO rejects (batch_id, source_system, source_file, locator, reason_code, reason, source_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [batch.id, reject.system, reject.file, reject.locator, reject.reason.rawValue,
                             reject.message, reject.sourceID])
    }

    func resolvePending() throws -> PendingResolution {
        var resolution = PendingResolution()
        let page = try db.makeStatement(sql: """
            SELECT source_system, source_id, record FROM xref
            WHERE state = 'pending' AND (source_system, source_id) > (?, ?)
            ORDER BY source_system, source_id LIMIT 5000
            """)
        let byPhone = try db.makeStatement(sql: "SELECT customer_key FROM customers WHERE phone_e164 = ? LIMIT 2")
        let byTaxID = try db.makeStatement(sql: "SELECT customer_key FROM customers WHERE tax_id = ? LIMIT 2")
        let link = try db.makeStatement(sql: """
            UPDATE xref SET customer_key = ?, state = 'merged', link = ?, batch_id = ? WHERE source_system = ? AND source_id = ?
            """)
        let markPending = try db.makeStatement(sql: """
            UPDATE xref SET link = ? WHERE source_system = ? AND source_id = ? AND link != ?
            """)
        var after = ("", "")
        while true {
            let rows = try Row.fetchAll(page, arguments: [after.0, after.1])
            guard let last = rows.last else { break }
            after = (last[0], last[1])
            for row in rows {
                let system: String = row[0]
                let sourceID: String = row[1]
                guard let record = CanonicalRecord(encoded: row[2], sourceSystem: system, sourceID: sourceID) else {
                    continue
                }
                var counts = resolution.bySystem[system] ?? PendingResolution.Counts()
                var outcome = "unmatched"
                var target: Data?
                for (value, statement, via) in [(record.mobile, byPhone, "phone"), (record.taxID, byTaxID, "tax_id")] {
                    guard let value else { continue }
                    let keys = try Data.fetchAll(statement, arguments: [value])
                    if keys.count == 1 { target = keys[0]; outcome = via; break }
                    if keys.count > 1 { outcome = "ambiguous_\(via)" }
                }
                if let target {
                    try link.execute(arguments: [target, outcome, batch.id, system, sourceID])
                    _ = try mergeIntoExisting(key: target, record: record)
                    if pendingThisBatch.contains(Self.reference(system, sourceID)) {
                        counts.linkedFromBatch += 1
                    } else {
                        counts.linkedFromEarlier += 1
                    }
                } else {
                    try markPending.execute(arguments: [outcome, system, sourceID, outcome])
                    if outcome.hasPrefix("ambiguous") { counts.ambiguous += 1 } else { counts.unmatched += 1 }
                }
                resolution.bySystem[system] = counts
            }
        }
        return resolution
    }

    func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws {
        try SQLiteStore.forEachCustomer(in: db, body)
    }

    func finish(summary: String) throws {
        try db.execute(sql: """
            INSERT INTO batches (batch_id, pipeline, started_at, finished_at, as_of, summary) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [batch.id, batch.pipeline, batch.timestamps.iso8601(batch.startedAt),
                             batch.timestamps.iso8601(Date()), asOfText, summary])
    }

    private static func reference(_ system: String, _ sourceID: String) -> String { system + "\u{1F}" + sourceID }

    /// The initial values of a new customer as one JSON object, for its first change-log row.
    static func json(_ values: [String?]) -> String {
        var out = "{"
        var first = true
        for column in MasterColumn.allCases {
            guard let value = values[column.rawValue] else { continue }
            if !first { out += "," }
            first = false
            out += "\"\(column.name)\":"
            out += jsonString(value)
        }
        return out + "}"
    }
}

/// A JSON string literal for `text`.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
