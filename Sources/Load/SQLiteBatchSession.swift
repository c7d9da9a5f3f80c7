import Foundation
import GRDB
import Transform

/// The writes of one batch inside its transaction. Statements are prepared once per batch;
/// `merge` is the per-row hot path.
final class SQLiteBatchSession: BatchSession {
    let db: Database
    /// The store's file, for the reading thread's own connection.
    private let path: String
    let batch: BatchInfo
    private let asOfText: String
    /// The batch's row in `batches`, which every other table refers to.
    let batchNumber: Int64
    /// Pending records read by this batch, to tell its own links from earlier batches'.
    var pendingThisBatch = PendingReferences()
    /// Records linked when merged, once a phone-only record comes (see `EarlyLinks`); nil until
    /// then, and in a batch that did not start with an empty customers table.
    var earlyLinks: EarlyLinks?
    /// The cross-reference rows this batch may have written.
    private(set) var written = WrittenRows()
    /// The rows this batch found unchanged: a repeat of one is a duplicate.
    private var unchangedRows = UnchangedRows()
    /// Customers in the store before this batch (about: the largest rowid), and made by it.
    let customersBefore: Int64
    private var created: Int64 = 0
    /// Existing customers this batch merged a record into.
    private var updated: Int64 = 0
    /// Changes to `presence_groups` not yet written (see `flushPresence`).
    private var presenceDeltas: [PresenceGroup: Int64] = [:]
    /// Whether the phone and tax-ID indexes are dropped until the batch's pending pass.
    private(set) var lookupsDeferred = false
    /// Whether the change log's index is dropped until the pending pass has ended.
    private var changeLogIndexDeferred = false
    /// Time spent in `restoreLookups`.
    private(set) var indexRebuildSeconds: Double = 0
    /// The fewest customers a batch makes before it counts as a bulk load.
    private let bulkLoadMinimum: Int64
    /// The store held nothing before this batch (and no other connection can read it).
    private let isNew: Bool

    /// The store held no customer, cross-reference row or interaction before this batch: a row
    /// or customer the batch has not written yet is new to the store, and its insert cannot
    /// conflict. Those go through `newXref`, `newCustomers` and `newInteractions`, sixteen to
    /// a statement (`BatchedInsert`).
    private let startedEmpty: Bool
    /// The keys of the customers this batch made, when it `startedEmpty`.
    private var madeKeys: HashFilter?

    private var upsertXref: FastStatement
    private var newXref: BatchedInsert
    private var selectXref: FastStatement
    private var updateRawDigest: FastStatement
    private var insertCustomer: FastStatement
    private var newCustomers: BatchedInsert
    private var selectCustomer: FastStatement
    private var selectCustomerByRow: FastStatement
    private var updateCustomer: FastStatement
    private var changeLog: BatchedInsert
    private var newLandlines: BatchedInsert
    private var upsertInteraction: FastStatement
    private var newInteractions: BatchedInsert
    private var insertReject: FastStatement
    var earlyNotes: BatchedInsert
    var deleteNote: FastStatement

    private static let masterColumns = MasterColumn.allCases.map(\.name)
    private static let customerColumns =
        ["customer_key", "phone_e164", "tax_id"] + masterColumns
        + ["updated_at", "provenance", "created_batch", "changed_batch", "created_system", "created_source_id", "systems"]
    private static let xrefColumns = [
        "source_system", "source_id", "customer_key", "state", "link", "batch", "digest", "updated_at", "record", "raw_digest",
    ]

    init(db: Database, path: String, batch: BatchInfo, bulkLoadMinimum: Int64, isNew: Bool) throws {
        self.db = db
        self.isNew = isNew
        self.path = path
        self.bulkLoadMinimum = bulkLoadMinimum
        self.batch = batch
        asOfText = batch.timestamps.iso8601(batch.asOf)
        try db.execute(
            sql: """
                INSERT INTO batches (batch_id, pipeline, started_at, finished_at, as_of, summary) VALUES (?, ?, ?, '', ?, '')
                """, arguments: [batch.id, batch.pipeline, batch.timestamps.iso8601(batch.startedAt), asOfText])
        batchNumber = db.lastInsertedRowID
        customersBefore = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM customers") ?? 0
        startedEmpty =
            try customersBefore == 0
            && !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM xref) OR EXISTS (SELECT 1 FROM interactions)")!
        madeKeys = startedEmpty ? HashFilter() : nil
        // Landlines wait here, in file order, and go into their table sorted (see `flushLandlines`).
        try db.execute(
            sql: """
                CREATE TEMP TABLE IF NOT EXISTS batch_landlines (landline_e164 TEXT NOT NULL, customer_key BLOB NOT NULL)
                """)
        // The linked records the pending pass merges: noted by the pass, or while the files are
        // merged (`EarlyLinks`, with the mobile they linked through). Keyed by the record, so that
        // a record written again in the batch takes its early link back in one look-up.
        try db.execute(
            sql: """
                CREATE TEMP TABLE IF NOT EXISTS pending_linked (
                    source_system TEXT NOT NULL, source_id TEXT NOT NULL, customer_row INTEGER NOT NULL, mobile TEXT,
                    PRIMARY KEY (source_system, source_id)) WITHOUT ROWID;
                DELETE FROM temp.pending_linked;
                """)
        earlyNotes = BatchedInsert(
            db, into: "temp.pending_linked", columns: ["source_system", "source_id", "customer_row", "mobile"])
        deleteNote = try FastStatement(
            db, sql: "DELETE FROM temp.pending_linked WHERE source_system = ? AND source_id = ?")
        // A row the store holds with other values is rewritten in the same B-tree descent as the
        // insert; one with the same values is left alone (no change), and `link` reads it.
        upsertXref = try FastStatement(
            db,
            sql: """
                INSERT INTO xref (source_system, source_id, customer_key, state, link, batch, digest, updated_at, record,
                    raw_digest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source_system, source_id) DO UPDATE SET customer_key = excluded.customer_key,
                    state = excluded.state, link = excluded.link, batch = excluded.batch, digest = excluded.digest,
                    updated_at = excluded.updated_at, record = excluded.record, raw_digest = excluded.raw_digest
                WHERE digest != excluded.digest
                """)
        newXref = BatchedInsert(db, into: "xref", columns: Self.xrefColumns)
        selectXref = try FastStatement(
            db,
            sql: """
                SELECT state, batch, digest, raw_digest FROM xref WHERE source_system = ? AND source_id = ?
                """)
        updateRawDigest = try FastStatement(
            db,
            sql: """
                UPDATE xref SET raw_digest = ?3 WHERE source_system = ?1 AND source_id = ?2
                """)
        let columns = Self.masterColumns.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: Self.customerColumns.count).joined(separator: ", ")
        insertCustomer = try FastStatement(
            db,
            sql: """
                INSERT OR IGNORE INTO customers (\(Self.customerColumns.joined(separator: ", "))) VALUES (\(placeholders))
                """)
        newCustomers = BatchedInsert(db, into: "customers", columns: Self.customerColumns)
        selectCustomer = try FastStatement(
            db,
            sql: """
                SELECT \(columns), updated_at, provenance, systems, rowid, phone_e164, tax_id FROM customers WHERE customer_key = ?
                """)
        selectCustomerByRow = try FastStatement(
            db,
            sql: """
                SELECT \(columns), updated_at, provenance, systems, rowid, phone_e164, tax_id FROM customers WHERE rowid = ?
                """)
        let assignments = Self.masterColumns.map { "\($0) = ?" }.joined(separator: ", ")
        updateCustomer = try FastStatement(
            db,
            sql: """
                UPDATE customers SET \(assignments), updated_at = ?, provenance = ?, changed_batch = ?, systems = ?
                WHERE rowid = ?
                """)
        changeLog = BatchedInsert(
            db, into: "change_log",
            columns: ["batch", "customer_key", "field", "old_value", "new_value", "source_system", "source_id", "changed_at"])
        newLandlines = BatchedInsert(db, into: "temp.batch_landlines", columns: ["landline_e164", "customer_key"])
        let interactionColumns = [
            "source_system", "source_id", "batch", "channel", "started_at", "phone_e164", "agent", "duration_s", "outcome",
            "called",
        ]
        upsertInteraction = try FastStatement(
            db,
            sql: """
                INSERT OR REPLACE INTO interactions (\(interactionColumns.joined(separator: ", ")))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        newInteractions = BatchedInsert(db, into: "interactions", columns: interactionColumns)
        insertReject = try FastStatement(
            db,
            sql: """
                INSERT INTO rejects (batch, source_system, source_file, locator, reason_code, reason, source_id, owner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    func batchThatLoaded(system: String, sha256: String) throws -> String? {
        try String.fetchOne(
            db,
            sql: """
                SELECT b.batch_id FROM batch_files f JOIN batches b ON b.id = f.batch
                WHERE f.source_system = ? AND f.sha256 = ? LIMIT 1
                """, arguments: [system, sha256])
    }

    func rawDigestSnapshot(system: String) throws -> RawDigestSnapshot? {
        isNew ? nil : try RawDigestSnapshot(path: path, system: system)
    }

    /// Snapshots are taken inside the batch's transaction, which holds the write lock.
    func isCurrent(_ snapshot: RawDigestSnapshot) -> Bool { true }

    func recordFile(_ file: LoadedFile) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO batch_files (batch, source_system, path, sha256, bytes, records) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [batchNumber, file.system, file.path, file.sha256, file.bytes, file.records])
    }

    // MARK: - Merge

    /// Two passes over the chunk, each in the order its B-tree likes: the cross-reference in
    /// file order (exports list their ids in order, so its rows append), then the customers by
    /// key (random HMAC keys otherwise land on a different page of the key index every row).
    /// Records of the same key keep their file order.
    func merge(_ entries: [MergeEntry]) throws -> ChunkMerge {
        try deferLookupsIfBulk()
        var outcomes: [MergeOutcome] = []
        outcomes.reserveCapacity(entries.count)
        // Keys and positions only: sorting tuples that hold the record retained and released it
        // at every move.
        var keyed: [(key: CustomerKey, index: Int)] = []
        var stale: Int?
        link: for entry in entries {
            switch entry {
            case .staged(let record):
                let outcome = try link(record)
                if outcome == nil, let key = record.record.key { keyed.append((key, outcomes.count)) }
                outcomes.append(outcome ?? .pending)
            case .unchanged(let row):
                guard let outcome = try confirm(row) else {
                    stale = outcomes.count
                    break link
                }
                outcomes.append(outcome)
            }
        }
        keyed.sort { $0.key < $1.key || ($0.key == $1.key && $0.index < $1.index) }
        for (_, index) in keyed {
            guard case .staged(let record) = entries[index] else { continue }
            outcomes[index] = try upsertCustomer(record)
        }
        // Between chunks every row is in its table: the other calls of a session read them.
        try flushWaitingRows()
        return stale.map { .stale(at: $0, before: outcomes) } ?? .merged(outcomes)
    }

    /// The outcome of a row the reading thread found unchanged, or nil when this batch has
    /// rewritten its stored row since (the same id earlier in the batch, with other values).
    private func confirm(_ row: UnchangedRow) throws -> MergeOutcome? {
        if row.current, !written.mayContain(row.hash) {
            // Not written by this batch: the snapshot the reading thread saw is the stored row.
            guard unchangedRows.insert(row.hash) else { return .duplicate }
            if row.pending { pendingThisBatch.insert(row.system, row.sourceID) }
            return .unchanged(pending: row.pending)
        }
        guard let stored = try storedXref(row.system, row.sourceID), stored.rawDigest == row.rawDigest else { return nil }
        return unchanged(stored, row.system, row.sourceID)
    }

    private typealias StoredXref = (state: String?, batch: Int64, digest: Int64, rawDigest: Int64?)

    /// A source record's cross-reference row as stored now, if it has one.
    private func storedXref(_ system: String, _ sourceID: String) throws -> StoredXref? {
        try newXref.flush()
        selectXref.reset()
        selectXref.bind(system)
        selectXref.bind(sourceID)
        defer { selectXref.reset() }  // done reading: no statement stays open on the table it writes next
        guard try selectXref.step() else { return nil }
        return (
            selectXref.text(0), selectXref.int64(1), selectXref.int64(2),
            selectXref.isNull(3) ? nil : selectXref.int64(3)
        )
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
    private func link(_ staged: StagedRecord) throws -> MergeOutcome? {
        let record = staged.record
        let early = staged.key == nil ? try earlyCustomer(record) : nil
        let state = staged.key == nil && early == nil ? "pending" : "merged"
        let link = staged.key != nil ? "key" : early == nil ? PendingLink.unmatched : PendingLink.Via.phone.rawValue
        let maybeWritten = written.mayContain(staged.rowHash)
        let again = earlyLinks != nil && maybeWritten
        written.insert(staged.rowHash)
        // New to the store and to the batch: inserts that cannot conflict.
        let rowIsNew = startedEmpty && !maybeWritten
        if rowIsNew {
            bindXref(&newXref, staged, key: staged.key ?? early?.key, state: state, link: link)
            try newXref.endRow()
        } else if try upsertRow(staged, key: staged.key ?? early?.key, state: state, link: link) == 0 {
            // The stored row holds the same values.
            guard let stored = try storedXref(record.sourceSystem, record.sourceID) else {
                throw StoreError(.failed, "the xref row of \(record.sourceID) vanished")
            }
            // The same values from other cells (spacing, a new build): the next run may skip it.
            if let rawDigest = staged.rawDigest, rawDigest != stored.rawDigest {
                updateRawDigest.reset()
                updateRawDigest.bind(record.sourceSystem)
                updateRawDigest.bind(record.sourceID)
                updateRawDigest.bind(rawDigest)
                try updateRawDigest.execute()
            }
            return unchanged(stored, record.sourceSystem, record.sourceID)
        }
        // Written again with other values: an early link of the row's last values no longer holds.
        if again { try takeBackEarlyLink(record.sourceSystem, record.sourceID) }
        if let contact = record.contact { try store(contact, of: record, isNew: rowIsNew) }
        guard staged.key != nil else {
            // An early link counts as this batch's when the pass counts it; one taken back is noted
            // then (a first load's 240,000 early links here: its peak RSS 2–9 MB higher).
            if let early {
                try noteEarlyLink(record, to: early)
            } else {
                pendingThisBatch.insert(record.sourceSystem, record.sourceID)
            }
            return .pending
        }
        return nil
    }

    /// Inserts or rewrites the record's xref row; returns 0 when it holds the same values already.
    private func upsertRow(_ staged: StagedRecord, key: [UInt8]?, state: String, link: String) throws -> Int {
        try newXref.flush()
        upsertXref.reset()
        bindXref(&upsertXref, staged, key: key, state: state, link: link)
        return try upsertXref.execute()
    }

    /// Binds one xref row (`xrefColumns`).
    private func bindXref(
        _ statement: inout some RowBinding, _ staged: StagedRecord, key: [UInt8]?, state: String, link: String
    ) {
        statement.bind(staged.record.sourceSystem)
        statement.bind(staged.record.sourceID)
        statement.bind(blob: key)
        statement.bind(state)
        statement.bind(link)
        statement.bind(batchNumber)
        statement.bind(staged.digest)
        statement.bind(staged.updatedAt)
        statement.bind(utf8: staged.encoded)
        statement.bind(staged.rawDigest)
    }

    /// Looks the key up first once this batch finds more keys than it makes: a nightly run
    /// mostly updates, and an insert that fails on the key costs the whole bound row and half
    /// of a changed row's time. A batch that `startedEmpty` knows a key it never made is new,
    /// and looks up only the keys it may have made.
    ///
    /// The record's fields are read in place (`staged.record.mobile`), not through a local copy of
    /// the record, and the values from one buffer (`PackedTexts`): a copy retains and releases
    /// every string in it (with `FastStatement.bind`'s own copy, 0.25 s of a million-row first
    /// load's store thread).
    private func upsertCustomer(_ staged: StagedRecord) throws -> MergeOutcome {
        guard let key = staged.key, let initial = staged.initial else { return .pending }
        let hash = Self.hash(key)
        var lookUp = updated > created
        if let madeKeys, let hash {
            guard madeKeys.mayContain(hash) else {
                // New to the store and to the batch. Each insert takes the next rowid, so the row
                // is known before the statement runs (`flushNewCustomers` checks it).
                bindCustomer(&newCustomers, staged, key: key, initial: initial)
                try newCustomers.endRow()
                return try made(staged, key: key, initial: initial, row: customersBefore + created + 1)
            }
            lookUp = true
        }
        if lookUp, let changes = try mergeIntoExisting(key: key, record: staged.record) {
            updated += 1
            return .updated(changes: changes)
        }
        try flushNewCustomers()
        insertCustomer.reset()
        bindCustomer(&insertCustomer, staged, key: key, initial: initial)
        if try insertCustomer.execute() == 1 {
            return try made(staged, key: key, initial: initial, row: db.lastInsertedRowID)
        }
        updated += 1
        return .updated(changes: try mergeIntoExisting(key: key, record: staged.record) ?? 0)
    }

    /// Counts a customer the batch made at `row`.
    private func made(_ staged: StagedRecord, key: [UInt8], initial: StagedRecord.Initial, row: Int64) throws -> MergeOutcome {
        created += 1
        if let hash = Self.hash(key) { madeKeys?.insert(hash) }
        earlyLinks?.add(mobile: staged.record.mobile, key: key, row: row)
        presenceDeltas[initial.presence, default: 0] += 1
        try addLandline(staged.record, key: key)
        return .created
    }

    /// Binds a new customer's row (`customerColumns`).
    private func bindCustomer(
        _ statement: inout some RowBinding, _ staged: StagedRecord, key: [UInt8], initial: StagedRecord.Initial
    ) {
        statement.bind(blob: key)
        statement.bind(staged.record.mobile)
        statement.bind(staged.record.taxID)
        statement.bind(initial.values)
        statement.bind(staged.updatedAt)
        statement.bind(blob: initial.provenance)
        statement.bind(batchNumber)
        statement.bind(batchNumber)
        statement.bind(staged.record.sourceSystem)
        statement.bind(staged.record.sourceID)
        statement.bind(staged.record.sourceSystem)
    }

    /// A customer key's first eight bytes: an HMAC's, as good a hash as any.
    private static func hash(_ key: [UInt8]) -> UInt64? {
        key.count < 8 ? nil : key.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    /// Sends the new customers waiting, and checks that each took the rowid it was counted at.
    private func flushNewCustomers() throws {
        guard newCustomers.waiting > 0 else { return }
        try newCustomers.flush()
        guard db.lastInsertedRowID == customersBefore + created else {
            throw StoreError(
                .failed,
                "the store gave the batch's new customers rowids up to \(db.lastInsertedRowID), not \(customersBefore + created); the batch was rolled back"
            )
        }
    }

    /// Sends every row waiting in a `BatchedInsert`.
    func flushWaitingRows() throws {
        try newXref.flush()
        try flushNewCustomers()
        try earlyNotes.flush()
        try newInteractions.flush()
        try newLandlines.flush()
        try changeLog.flush()
    }

    /// Applies survivorship against the stored customer; returns the number of changed columns,
    /// nil when no customer has the key.
    func mergeIntoExisting(key: [UInt8], record: CanonicalRecord) throws -> Int? {
        try mergeIntoExisting(key: key, records: CollectionOfOne(record))
    }

    /// Merges `records` in order into the stored customer, read once and written once; returns
    /// the number of changed columns, nil when no customer has the key. `row`: the customer's
    /// rowid, when known (no trip through the key index).
    func mergeIntoExisting(key: [UInt8], records: some Collection<CanonicalRecord>, row knownRow: Int64? = nil) throws
        -> Int?
    {
        guard let (customer, row) = try storedCustomer(key: key, row: knownRow) else { return nil }
        return try write(MergedCustomer(customer, merging: records, batch: batch), of: records, key: key, row: row)
    }

    /// The stored customer and its rowid; nil when no customer has the key.
    func storedCustomer(key: [UInt8], row knownRow: Int64?) throws -> (StoredCustomer, row: Int64)? {
        try readCustomer(key: key, row: knownRow) { select, count in
            StoredCustomer(
                values: (0..<count).map { select.text($0) }, provenance: select.blob(count + 1),
                updatedAt: select.text(count), systems: select.text(count + 2) ?? "",
                phone: select.text(count + 4), taxID: select.text(count + 5))
        }
    }

    /// The same with its columns copied into one buffer, for the pending pass to make the strings
    /// on its merging thread.
    func storedCustomerRow(key: [UInt8], row knownRow: Int64?) throws -> (StoredCustomer.Row, row: Int64)? {
        try readCustomer(key: key, row: knownRow) { select, count in
            var texts = PackedTexts(capacity: 1_024)
            for column in 0..<count { texts.append(select.textBytes(column)) }
            texts.append(select.textBytes(count))  // updated_at
            texts.append(select.textBytes(count + 2))  // systems
            texts.append(select.textBytes(count + 4))  // phone_e164
            texts.append(select.textBytes(count + 5))  // tax_id
            return StoredCustomer.Row(texts: texts, provenance: select.blob(count + 1))
        }
    }

    /// Reads the customer of `key`, or of rowid `knownRow` when known (no trip through the key
    /// index), through `read` (the statement on its row, and the number of master columns).
    private func readCustomer<Customer>(
        key: [UInt8], row knownRow: Int64?, _ read: (FastStatement, Int32) -> Customer
    ) throws -> (Customer, row: Int64)? {
        try flushNewCustomers()
        let found: Bool
        if let knownRow {
            selectCustomerByRow.reset()
            selectCustomerByRow.bind(knownRow)
            found = try selectCustomerByRow.step()
        } else {
            selectCustomer.reset()
            selectCustomer.bind(blob: key)
            found = try selectCustomer.step()
        }
        let select = knownRow == nil ? selectCustomer : selectCustomerByRow
        guard found else { select.resetReading(); return nil }
        let count = Int32(MasterColumn.allCases.count)
        let customer = read(select, count)
        let row = select.int64(count + 3)  // the update needs no second trip through the key index
        select.resetReading()
        return (customer, row)
    }

    /// Writes what merging `records` into a customer changed: the records' landlines, the change
    /// log and the customer row; returns the number of changed columns.
    func write(
        _ merged: MergedCustomer, of records: some Collection<CanonicalRecord>, key: [UInt8], row: Int64
    ) throws -> Int {
        var changed = 0
        for (record, changes) in zip(records, merged.changes) {
            try addLandline(record, key: key)
            guard let changes else { continue }
            changed += changes.count
            for change in changes {
                try logChange(key: key, field: change.column.name, old: change.old, new: change.new, record: record)
            }
        }
        guard merged.rewrite else { return 0 }
        let customer = merged.customer
        updateCustomer.reset()
        for value in customer.master.values { updateCustomer.bind(value) }
        updateCustomer.bind(customer.updatedAt)
        updateCustomer.bind(blob: customer.master.encodedProvenance)
        updateCustomer.bind(batchNumber)
        updateCustomer.bind(customer.systems)
        updateCustomer.bind(row)
        try updateCustomer.execute()
        let presenceAfter = customer.presence
        if presenceAfter != merged.presenceBefore {
            presenceDeltas[merged.presenceBefore, default: 0] -= 1
            presenceDeltas[presenceAfter, default: 0] += 1
        }
        return changed
    }

    private func logChange(key: [UInt8], field: String, old: String?, new: String?, record: CanonicalRecord) throws {
        changeLog.bind(batchNumber)
        changeLog.bind(blob: key)
        changeLog.bind(field)
        changeLog.bind(old)
        changeLog.bind(new)
        changeLog.bind(record.sourceSystem)
        changeLog.bind(record.sourceID)
        changeLog.bind(asOfText)
        try changeLog.endRow()
    }

    /// `isNew`: the store holds no interaction of the record (else it replaces the one it holds).
    private func store(_ contact: Contact, of record: CanonicalRecord, isNew: Bool) throws {
        if isNew {
            bindInteraction(&newInteractions, contact, of: record)
            try newInteractions.endRow()
        } else {
            try newInteractions.flush()
            upsertInteraction.reset()
            bindInteraction(&upsertInteraction, contact, of: record)
            try upsertInteraction.execute()
        }
    }

    private func bindInteraction(_ statement: inout some RowBinding, _ contact: Contact, of record: CanonicalRecord) {
        statement.bind(record.sourceSystem)
        statement.bind(record.sourceID)
        statement.bind(batchNumber)
        statement.bind(contact.channel)
        statement.bind(contact.startedAt.map(batch.timestamps.iso8601))
        statement.bind(record.mobile ?? record[.landline])
        statement.bind(contact.agent)
        statement.bind(contact.durationSeconds.map(Int64.init))
        statement.bind(contact.outcome)
        statement.bind(contact.called)
    }

    private func addLandline(_ record: CanonicalRecord, key: [UInt8]) throws {
        guard let landline = record[.landline] else { return }
        newLandlines.bind(landline)
        newLandlines.bind(blob: key)
        try newLandlines.endRow()
    }

    // MARK: - Rejects and pending

    func reject(_ reject: RejectRow) throws {
        insertReject.reset()
        insertReject.bind(batchNumber)
        insertReject.bind(reject.system)
        insertReject.bind(reject.file)
        insertReject.bind(reject.locator)
        insertReject.bind(reject.reason.rawValue)
        insertReject.bind(reject.message)
        insertReject.bind(reject.sourceID)
        insertReject.bind(reject.owner)
        try insertReject.execute()
    }

    // MARK: - Bulk loads

    /// Once a batch has made more customers than the store held (and many), it is a bulk load:
    /// each new customer's phone and tax ID went into an index at a random place, and those
    /// inserts were a third of a first million-row load. Dropped now and rebuilt by one sort each
    /// before the pending pass, their only reader: 2.7 s at a million customers. The change log's
    /// index by customer key goes too, until the pending pass has written its changes: its random
    /// inserts were a tenth of a first load's pending pass.
    private func deferLookupsIfBulk() throws {
        guard !lookupsDeferred, created >= max(bulkLoadMinimum, customersBefore) else { return }
        for (name, _) in SQLiteStore.lookupIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
        lookupsDeferred = true
        guard !changeLogIndexDeferred else { return }
        try db.execute(sql: "DROP INDEX IF EXISTS \(SQLiteStore.changeLogIndex.0)")
        changeLogIndexDeferred = true
    }

    func restoreLookups() throws {
        guard lookupsDeferred else { return }
        try rebuild(SQLiteStore.lookupIndexes.map(\.1))
        lookupsDeferred = false
    }

    /// Builds the change log's index again, after the pending pass (its last writer).
    func restoreChangeLogIndex() throws {
        try changeLog.flush()
        guard changeLogIndexDeferred else { return }
        try rebuild([SQLiteStore.changeLogIndex.1])
        changeLogIndexDeferred = false
    }

    private func rebuild(_ indexes: [String]) throws {
        let started = ContinuousClock.now
        defer { indexRebuildSeconds += (ContinuousClock.now - started).inSeconds }
        // An index build's sorter may hold as much memory as the page cache; a quarter of it is
        // enough (sorted runs spill to temporary files): a million-row first load peaked at 164 MB, not 177.
        try resizeCache(toKiB: SQLiteStore.pageCacheKiB / 4)
        // One helper thread sorts and writes each spilled run while the scan goes on, on a core
        // the batch leaves idle here: a million customers' two indexes in 1.50–1.78 s, not 1.76–2.12 s,
        // for one more run in memory (peak RSS 152 → 166 MB). At 200,000 customers the sorts
        // barely spill: a median of 0.49 s with the thread and without.
        try db.execute(sql: "PRAGMA threads = 1")
        for sql in indexes { try db.execute(sql: sql) }
        try db.execute(sql: "PRAGMA threads = 0")
        try resizeCache(toKiB: SQLiteStore.pageCacheKiB)
    }

    /// Sets the page cache's size. (Writing its changed pages out first, so that shrinking it
    /// frees them at once, was tried: the peak RSS of the 200,000-customer world's first load did
    /// not move, 183–186 MB against 181–184 MB.)
    func resizeCache(toKiB kibibytes: Int) throws {
        try db.execute(sql: "PRAGMA cache_size = -\(kibibytes)")
    }

    /// Puts back what the batch deferred; the store calls it before every commit, whatever the
    /// caller did or did not call.
    func completeDeferredWrites() throws {
        try flushWaitingRows()
        try takeBackEarlyLinks { _ in true }
        try restoreLookups()
        try restoreChangeLogIndex()
        try flushLandlines()
        try flushPresence()
    }

    /// Adds the batch's changes to the customer counts of `presence_groups`; a group left with
    /// no customer is removed (a report lists no owner or system without customers).
    private func flushPresence() throws {
        guard !presenceDeltas.isEmpty else { return }
        let upsert = try db.makeStatement(
            sql: """
                INSERT INTO presence_groups (owner, systems, mask, customers) VALUES (?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET customers = customers + excluded.customers
                """)
        for (group, delta) in presenceDeltas where delta != 0 {
            try upsert.execute(arguments: [group.owner, group.systems, group.mask, delta])
        }
        try db.execute(sql: "DELETE FROM presence_groups WHERE customers = 0")
        presenceDeltas = [:]
    }

    /// Moves the staged landlines into their table in key order: one pass over its pages rather
    /// than one random page per record.
    func flushLandlines() throws {
        try newLandlines.flush()
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO landlines (landline_e164, customer_key)
                SELECT landline_e164, customer_key FROM temp.batch_landlines ORDER BY 1, 2;
                DELETE FROM temp.batch_landlines;
                """)
    }

    func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws {
        try SQLiteStore.forEachCustomer(in: db, body)
    }

    func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport {
        try flushPresence()
        return try SQLiteStore.presence(in: db, tests, bySystem: bySystem, byOwner: byOwner)
    }

    func recordMetrics(_ rows: [MetricRow]) throws {
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO metrics (batch, metric, system, field, value, numerator, denominator) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        for row in rows {
            try insert.execute(arguments: [
                batchNumber, row.metric, row.system, row.field, row.value, row.numerator,
                row.denominator,
            ])
        }
    }

    func finish(summary: String) throws {
        try db.execute(
            sql: "UPDATE batches SET finished_at = ?, summary = ? WHERE id = ?",
            arguments: [batch.timestamps.iso8601(Date()), summary, batchNumber])
    }
}
