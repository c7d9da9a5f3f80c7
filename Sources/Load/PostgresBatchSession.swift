import Foundation
import Transform

/// The writes of one batch into a PostgreSQL store, inside its transaction. A chunk costs a few
/// round trips, never one per row: the stored rows of its source ids and customer keys are
/// fetched in one query each, merged in Swift by the rules the SQLite session applies
/// (`StoredCustomer`, `Survivorship`, `PendingLink`), and written back through `COPY` into
/// staging tables and set-based upserts in key order (`PostgresBatchSession+Writes.swift`).
final class PostgresBatchSession: BatchSession {
    let connection: PostgresConnection
    let batch: BatchInfo
    let asOfText: String
    /// The batch's row in `batches`, which every other table refers to.
    let batchNumber: Int64
    /// The last batch committed before this one took the lock.
    let lastBatchAtStart: Int64
    /// Pending records read by this batch, to tell its own links from earlier batches'.
    var pendingThisBatch = PendingReferences()
    /// The cross-reference rows this batch may have written.
    private(set) var written = WrittenRows()
    /// The rows this batch found unchanged: a repeat of one is a duplicate.
    private var unchangedRows = UnchangedRows()
    /// Changes to `presence_groups` not yet written.
    var presenceDeltas: [PresenceGroup: Int64] = [:]

    /// Stored cross-reference rows of the chunks merged since the last `flushWrites` (nil: the
    /// store has none), with this batch's writes applied as they happen.
    var xrefs: [XrefID: StoredXref?] = [:]
    /// Stored customers of those chunks (nil: none has the key), likewise.
    var customers: [KeyBytes: StoredCustomer?] = [:]
    /// What those chunks change, written by `flushWrites`: held over several chunks, so that
    /// the server gets a few large statements rather than many small ones.
    var pending = PendingWrites()

    /// Rows held before `merge` sends them: 16 reading chunks.
    static let rowsPerFlush = 8_192

    /// A send's worth of chunks: the reading thread goes on normalizing while the server takes
    /// the send (another process, on another core), where two chunks would stop it.
    var chunksAhead: Int { Self.chunksAhead }
    static let chunksAhead = 16

    /// Whether the store held no customer when the batch began (a first load): then a key is
    /// stored only if this batch created it, and one `created` has never seen is not looked up.
    let noCustomersAtStart: Bool
    private var created = CreatedKeys()
    private(set) var createdCount = 0
    /// The fewest customers a first load creates before it drops the lookup indexes.
    let bulkLoadMinimum: Int
    var lookups = LookupIndexes.built
    var indexRebuildSeconds: Double = 0
    /// Per source system, whether the store held rows of it when the batch began; when not, a
    /// source id is stored only if this batch wrote it (`written`).
    private var systemsStored: [String: Bool] = [:]

    struct XrefID: Hashable {
        var system: String
        var sourceID: String
    }

    struct StoredXref {
        var state: String
        var batch: Int64
        var digest: Int64
        var rawDigest: Int64?
    }

    init(connection: PostgresConnection, batch: BatchInfo, bulkLoadMinimum: Int) throws(StoreError) {
        self.connection = connection
        self.batch = batch
        self.bulkLoadMinimum = bulkLoadMinimum
        asOfText = batch.timestamps.iso8601(batch.asOf)
        let results = try connection.executeAll([
            ("SELECT coalesce(max(id), 0) FROM batches", []),
            (
                """
                INSERT INTO batches (batch_id, pipeline, started_at, finished_at, as_of, summary) VALUES ($1, $2, $3, '', $4, '')
                RETURNING id
                """, [batch.id, batch.pipeline, batch.timestamps.iso8601(batch.startedAt), asOfText]
            ),
            ("SELECT NOT EXISTS (SELECT 1 FROM customers)", []),
        ])
        lastBatchAtStart = Int64(results[0][0, 0] ?? "") ?? 0
        batchNumber = Int64(results[1][0, 0] ?? "") ?? 0
        noCustomersAtStart = results[2][0, 0] == "t"
        try Self.prepareStaging(connection)
    }

    func batchThatLoaded(system: String, sha256: String) throws -> String? {
        try PostgresStore.batchThatLoaded(connection, system: system, sha256: sha256)
    }

    /// Read on a second connection (`PostgresRawDigestSnapshot`); nil when the store holds no
    /// row of `system`, or has no second connection to give: the reading thread then normalizes
    /// every row, and an unchanged one is still found unchanged, by its normalized digest.
    func rawDigestSnapshot(system: String) throws -> RawDigestSnapshot? {
        PostgresRawDigestSnapshot.open(connection.location, system: system)
    }

    /// Batches commit in the order of their `batches.id`, taken under the lock.
    func isCurrent(_ snapshot: RawDigestSnapshot) -> Bool {
        (snapshot.other as? PostgresRawDigestSnapshot)?.lastBatch == lastBatchAtStart
    }

    func recordFile(_ file: LoadedFile) throws {
        try connection.execute(
            """
            INSERT INTO batch_files (batch, source_system, path, sha256, bytes, records) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (batch, source_system, path) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes,
                records = excluded.records
            """, [String(batchNumber), file.system, file.path, file.sha256, String(file.bytes), String(file.records)])
    }

    // MARK: - Merge

    /// The SQLite session's two passes over the chunk: the cross-reference in file order, then
    /// the customers by key (records of one key in file order); here against rows fetched up front.
    func merge(_ entries: [MergeEntry]) throws -> ChunkMerge {
        try fetch(entries)
        var outcomes: [MergeOutcome] = []
        outcomes.reserveCapacity(entries.count)
        var keyed: [(key: [UInt8], record: StagedRecord, index: Int)] = []
        var stale: Int?
        link: for entry in entries {
            switch entry {
            case .staged(let record):
                let outcome = link(record)
                if outcome == nil, let key = record.key { keyed.append((key, record, outcomes.count)) }
                outcomes.append(outcome ?? .pending)
            case .unchanged(let row):
                guard let outcome = confirm(row) else {
                    stale = outcomes.count
                    break link
                }
                outcomes.append(outcome)
            }
        }
        keyed.sort { $0.key.lexicographicallyPrecedes($1.key) || ($0.key == $1.key && $0.index < $1.index) }
        for (key, record, index) in keyed {
            outcomes[index] = upsertCustomer(key: key, record)
        }
        try deferLookupsIfBulk()
        if pending.rows >= Self.rowsPerFlush { try flushWrites() }
        return stale.map { .stale(at: $0, before: outcomes) } ?? .merged(outcomes)
    }

    /// Reads, in one query each, the stored cross-reference rows of the chunk's source ids and
    /// the stored customers of its keys, those not held already.
    private func fetch(_ entries: [MergeEntry]) throws(StoreError) {
        var ids: [XrefID] = []
        var keys: [[UInt8]] = []
        for entry in entries {
            switch entry {
            case .staged(let record):
                let id = XrefID(system: record.record.sourceSystem, sourceID: record.record.sourceID)
                if try stored(id.system) || written.mayContain(id.system, id.sourceID) { ids.append(id) }
                if let key = record.key, !noCustomersAtStart || created.mayContain(key) { keys.append(key) }
            case .unchanged(let row):
                if !row.current || written.mayContain(row.hash) {
                    ids.append(XrefID(system: row.system, sourceID: row.sourceID))
                }
            }
        }
        // Both in one round trip.
        let xrefQuery = xrefQuery(ids)
        let customerQuery = customerQuery(keys)
        let results = try connection.executeAll([xrefQuery, customerQuery].compactMap { $0 })
        if xrefQuery != nil { read(xrefs: results[0]) }
        if customerQuery != nil { read(customers: results[results.count - 1]) }
    }

    /// Whether the store held rows of `system` when the batch began. Asked before the batch
    /// writes any: a chunk's rows are looked up before they are written.
    private func stored(_ system: String) throws(StoreError) -> Bool {
        if let stored = systemsStored[system] { return stored }
        let stored = try connection.execute("SELECT EXISTS (SELECT 1 FROM xref WHERE source_system = $1)", [system])[0, 0] == "t"
        systemsStored[system] = stored
        return stored
    }

    /// The query of the stored rows of `ids` not held already, which are held as absent till it is read.
    private func xrefQuery(_ ids: [XrefID]) -> (sql: String, parameters: [String?])? {
        let ids = ids.filter { xrefs[$0] == nil }
        for id in ids { xrefs[id] = .some(nil) }
        guard !ids.isEmpty else { return nil }
        return (
            """
            SELECT x.source_system, x.source_id, x.state, x.batch, x.digest, x.raw_digest
            FROM unnest($1::text[], $2::text[]) AS k(source_system, source_id)
            JOIN xref x ON x.source_system = k.source_system AND x.source_id = k.source_id
            """, [arrayLiteral(ids.map(\.system)), arrayLiteral(ids.map(\.sourceID))]
        )
    }

    private func read(xrefs rows: PostgresResult) {
        for row in 0..<rows.rows {
            xrefs[XrefID(system: rows[row, 0] ?? "", sourceID: rows[row, 1] ?? "")] = StoredXref(
                state: rows[row, 2] ?? "", batch: Int64(rows[row, 3] ?? "") ?? 0, digest: Int64(rows[row, 4] ?? "") ?? 0,
                rawDigest: rows[row, 5].flatMap { Int64($0) })
        }
    }

    func fetchCustomers(_ keys: [[UInt8]]) throws(StoreError) {
        guard let query = customerQuery(keys) else { return }
        read(customers: try connection.execute(query.sql, query.parameters))
    }

    private static let customerColumns = MasterColumn.allCases.map(\.name).joined(separator: ", ")

    /// The query of the stored customers of `keys` not held already, which are held as absent till it is read.
    private func customerQuery(_ keys: [[UInt8]]) -> (sql: String, parameters: [String?])? {
        let wanted = keys.filter { customers[KeyBytes($0)] == nil }
        for key in wanted { customers[KeyBytes(key)] = .some(nil) }
        guard !wanted.isEmpty else { return nil }
        return (
            """
            SELECT customer_key, \(Self.customerColumns), updated_at, provenance, systems, phone_e164, tax_id FROM customers
            WHERE customer_key = ANY($1::bytea[])
            """, [arrayLiteral(wanted.map { byteaText($0) })]
        )
    }

    private func read(customers rows: PostgresResult) {
        let count = MasterColumn.allCases.count
        for row in 0..<rows.rows {
            guard let key = rows.bytes(row, 0) else { continue }
            customers[KeyBytes(key)] = StoredCustomer(
                values: (0..<count).map { rows[row, 1 + $0] }, provenance: rows.bytes(row, count + 2) ?? [],
                updatedAt: rows[row, count + 1], systems: rows[row, count + 3] ?? "", phone: rows[row, count + 4],
                taxID: rows[row, count + 5])
        }
    }

    /// The outcome of a row the reading thread found unchanged, or nil when its stored row has
    /// changed since the snapshot: rewritten by this batch, or by one that committed while
    /// this one waited for the lock (`UnchangedRow.current`).
    private func confirm(_ row: UnchangedRow) -> MergeOutcome? {
        if row.current, !written.mayContain(row.hash) {
            guard unchangedRows.insert(row.hash) else { return .duplicate }
            if row.pending { pendingThisBatch.insert(row.system, row.sourceID) }
            return .unchanged(pending: row.pending)
        }
        guard let stored = xrefs[XrefID(system: row.system, sourceID: row.sourceID)] ?? nil, stored.rawDigest == row.rawDigest
        else { return nil }
        return unchanged(stored, row.system, row.sourceID)
    }

    /// A record whose values its stored row already holds: a repeat within this batch, or unchanged.
    private func unchanged(_ stored: StoredXref, _ system: String, _ sourceID: String) -> MergeOutcome {
        if stored.batch == batchNumber || !unchangedRows.insert(system, sourceID) { return .duplicate }
        let pending = stored.state == "pending"
        if pending { pendingThisBatch.insert(system, sourceID) }
        return .unchanged(pending: pending)
    }

    /// Writes the record's cross-reference row (and its contact); nil when its customer is to
    /// be created or updated next.
    private func link(_ staged: StagedRecord) -> MergeOutcome? {
        let record = staged.record
        let id = XrefID(system: record.sourceSystem, sourceID: record.sourceID)
        written.insert(staged.rowHash)
        let stored = xrefs[id] ?? nil
        if let stored, stored.digest == staged.digest {
            // The same values from other cells (spacing, a new build): the next run may skip it.
            if let rawDigest = staged.rawDigest, rawDigest != stored.rawDigest {
                xrefs[id] = StoredXref(state: stored.state, batch: stored.batch, digest: stored.digest, rawDigest: rawDigest)
                pending.setRawDigest(rawDigest, of: id)
            }
            return unchanged(stored, record.sourceSystem, record.sourceID)
        }
        let state = staged.key == nil ? "pending" : "merged"
        let link = staged.key == nil ? PendingLink.unmatched : "key"
        xrefs[id] = StoredXref(state: state, batch: batchNumber, digest: staged.digest, rawDigest: staged.rawDigest)
        pending.writeXref(
            id,
            .init(
                customerKey: staged.key, state: state, link: link, batch: batchNumber,
                digest: staged.digest, updatedAt: staged.updatedAt, record: staged.encoded, rawDigest: staged.rawDigest,
                stored: stored != nil))
        if let contact = record.contact {
            pending.storeInteraction(contact, of: record, batch: batchNumber, timestamps: batch.timestamps)
        }
        guard staged.key != nil else {
            pendingThisBatch.insert(record.sourceSystem, record.sourceID)
            return .pending
        }
        return nil
    }

    /// Creates the record's customer, or merges it into the one that has its key.
    private func upsertCustomer(key: [UInt8], _ staged: StagedRecord) -> MergeOutcome {
        let record = staged.record
        guard let initial = staged.initial else { return .pending }
        if customers[KeyBytes(key)] ?? nil != nil { return .updated(changes: mergeIntoExisting(key: key, record: record)) }
        let customer = StoredCustomer(
            values: initial.values.strings, provenance: initial.provenance, updatedAt: staged.updatedAt,
            systems: record.sourceSystem, phone: record.mobile, taxID: record.taxID)
        customers[KeyBytes(key)] = customer
        created.insert(key)
        createdCount += 1
        pending.createCustomer(key, customer, record: record)
        presenceDeltas[initial.presence, default: 0] += 1
        pending.addLandline(record, key: key)
        return .created
    }

    /// Applies survivorship against the customer fetched for `key`; returns the number of changed columns.
    @discardableResult
    func mergeIntoExisting(key: [UInt8], record: CanonicalRecord) -> Int {
        guard var customer = customers[KeyBytes(key)] ?? nil else { return 0 }
        let presenceBefore = customer.presence
        pending.addLandline(record, key: key)
        guard let changes = customer.merge(record, batch: batch) else { return 0 }
        // Held as the store would give it back, so that the next record compares alike.
        customer.master.provenance = Provenance.decode(customer.master.encodedProvenance, count: SurvivingField.all.count)
        customers[KeyBytes(key)] = customer
        pending.updateCustomer(key, customer)
        let presenceAfter = customer.presence
        if presenceAfter != presenceBefore {
            presenceDeltas[presenceBefore, default: 0] -= 1
            presenceDeltas[presenceAfter, default: 0] += 1
        }
        for change in changes {
            pending.logChange(
                batch: batchNumber, key: key, field: change.column.name, old: change.old, new: change.new, record: record,
                at: asOfText)
        }
        return changes.count
    }

    // MARK: - Rejects, metrics, the batch row

    func reject(_ reject: RejectRow) throws {
        pending.reject(reject, batch: batchNumber)
        if pending.rejects.count >= PendingWrites.rejectsPerCopy { try flushRejects() }
    }

    func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws {
        try flushWrites()
        try PostgresStore.forEachCustomer(connection, body)
    }

    func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        try flushWrites()
        try flushPresence()
        return try PostgresStore.presence(connection, tests, bySystem: bySystem, byOwner: byOwner)
    }

    func recordMetrics(_ rows: [MetricRow]) throws {
        var copy = CopyRows()
        for row in rows {
            copy.add(batchNumber)
            copy.add(row.metric)
            copy.add(row.system)
            copy.add(row.field)
            copy.add(String(row.value))
            copy.add(row.numerator.map(Int64.init))
            copy.add(row.denominator.map(Int64.init))
            copy.endRow()
        }
        guard !copy.isEmpty else { return }
        try connection.copy(
            "COPY metrics (batch, metric, system, field, value, numerator, denominator) FROM STDIN", copy.bytes)
    }

    func finish(summary: String) throws {
        try connection.execute(
            "UPDATE batches SET finished_at = $1, summary = $2 WHERE id = $3",
            [batch.timestamps.iso8601(Date()), summary, String(batchNumber)])
    }

    /// Writes what the batch still holds; the store calls it before every commit.
    func completeDeferredWrites() throws {
        try flushWrites()
        try restoreLookups()
        try flushLandlines()
        try flushPresence()
    }
}

/// The customer keys a batch has created, as a Bloom filter (sized as `WrittenRows`): "no" is certain.
struct CreatedKeys {
    private var words = [UInt64](repeating: 0, count: 1 << 18)
    private static let mask: UInt64 = 1 << 24 - 1
    private static let probes: UInt64 = 3

    mutating func insert(_ key: [UInt8]) {
        let (hash, step) = Self.hash(key)
        for probe in 0..<Self.probes {
            let bit = Int((hash &+ probe &* step) & Self.mask)
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    func mayContain(_ key: [UInt8]) -> Bool {
        let (hash, step) = Self.hash(key)
        for probe in 0..<Self.probes {
            let bit = Int((hash &+ probe &* step) & Self.mask)
            if words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }

    private static func hash(_ key: [UInt8]) -> (UInt64, UInt64) {
        var hasher = Hasher()
        key.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        return (hash, (hash >> 32) | 1)
    }
}
