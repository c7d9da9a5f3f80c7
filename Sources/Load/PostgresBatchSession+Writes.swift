import Transform

/// What a chunk (or a page of the pending pass) changes, held until `flushWrites` sends it:
/// rows the store may hold go by one `COPY` per table into a staging table, then one set-based
/// statement in key order (writers that touch rows in the same order cannot deadlock one
/// another); rows it cannot hold, by `COPY` into their table.
struct PendingWrites {
    typealias XrefID = PostgresBatchSession.XrefID

    /// Rejects are sent once this many are held (or with the chunk's other writes).
    static let rejectsPerCopy = 10_000

    struct XrefRow {
        var customerKey: [UInt8]?
        var state: String
        var link: String
        var batch: Int64
        var digest: Int64
        var updatedAt: String?
        var record: [UInt8]
        var rawDigest: Int64?
        /// Whether the store may hold the row already: then it is upserted, else inserted.
        var stored: Bool
    }

    /// The pending pass's verdict on a waiting record: linked (with its customer and batch), or
    /// still waiting with the reason (`batch` nil: its batch stays).
    struct LinkRow {
        var customerKey: [UInt8]?
        var state: String
        var link: String
        var batch: Int64?
    }

    private(set) var xrefRows: [XrefID: XrefRow] = [:]
    private(set) var rawDigests: [XrefID: Int64] = [:]
    var links: [XrefID: LinkRow] = [:]
    /// Customers to write, with the source record of the ones this batch creates.
    private(set) var customerRows: [KeyBytes: (customer: StoredCustomer, created: XrefID?)] = [:]
    private(set) var changes = CopyRows()
    private(set) var interactions: [XrefID: [String?]] = [:]
    private(set) var landlines = CopyRows()
    private(set) var rejects = CopyRows()

    /// Rows held: cross-reference rows and customers.
    var rows: Int { xrefRows.count + rawDigests.count + links.count + customerRows.count }

    mutating func writeXref(_ id: XrefID, _ row: XrefRow) {
        var row = row
        // A row written earlier in this window is where the store was then.
        if let held = xrefRows[id] { row.stored = held.stored }
        xrefRows[id] = row
        rawDigests[id] = nil
    }

    mutating func setRawDigest(_ rawDigest: Int64, of id: XrefID) {
        if xrefRows[id] != nil { xrefRows[id]!.rawDigest = rawDigest } else { rawDigests[id] = rawDigest }
    }

    mutating func createCustomer(_ key: [UInt8], _ customer: StoredCustomer, record: CanonicalRecord) {
        customerRows[KeyBytes(key)] = (customer, XrefID(system: record.sourceSystem, sourceID: record.sourceID))
    }

    mutating func updateCustomer(_ key: [UInt8], _ customer: StoredCustomer) {
        let key = KeyBytes(key)
        customerRows[key] = (customer, customerRows[key]?.created)
    }

    mutating func logChange(
        batch: Int64, key: [UInt8], field: String, old: String?, new: String?, record: CanonicalRecord, at: String
    ) {
        changes.add(batch)
        changes.add(bytea: key)
        changes.add(field)
        changes.add(old)
        changes.add(new)
        changes.add(record.sourceSystem)
        changes.add(record.sourceID)
        changes.add(at)
        changes.endRow()
    }

    /// The last contact of a source id wins, as SQLite's `INSERT OR REPLACE`.
    mutating func storeInteraction(_ contact: Contact, of record: CanonicalRecord, batch: Int64, timestamps: TimestampParser) {
        interactions[XrefID(system: record.sourceSystem, sourceID: record.sourceID)] = [
            record.sourceSystem, record.sourceID, String(batch), contact.channel, contact.startedAt.map(timestamps.iso8601),
            record.mobile ?? record[.landline], contact.agent, contact.durationSeconds.map { String($0) }, contact.outcome,
            contact.called,
        ]
    }

    mutating func addLandline(_ record: CanonicalRecord, key: [UInt8]) {
        guard let landline = record[.landline] else { return }
        landlines.add(landline)
        landlines.add(bytea: key)
        landlines.endRow()
    }

    mutating func reject(_ reject: RejectRow, batch: Int64) {
        rejects.add(batch)
        rejects.add(reject.system)
        rejects.add(reject.file)
        rejects.add(reject.locator)
        rejects.add(reject.reason.rawValue)
        rejects.add(reject.message)
        rejects.add(reject.sourceID)
        rejects.add(reject.owner)
        rejects.endRow()
    }

    mutating func clearRejects() { rejects.removeAll() }

    mutating func clear() {
        let held = rejects
        self = PendingWrites()
        rejects = held
    }
}

extension PostgresBatchSession {
    /// The staging tables of the connection's batches: temporary, emptied at commit.
    static func prepareStaging(_ connection: PostgresConnection) throws(StoreError) {
        try connection.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS stage_xref (LIKE xref) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS stage_customers (LIKE customers) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS stage_interactions (LIKE interactions) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS stage_raw_digests (source_system text COLLATE "C", source_id text COLLATE "C",
                raw_digest bigint) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS stage_links (source_system text COLLATE "C", source_id text COLLATE "C",
                customer_key bytea, state text, link text, batch bigint) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS batch_landlines (landline_e164 text COLLATE "C", customer_key bytea)
                ON COMMIT DELETE ROWS;
            """)
    }

    private static let masterColumns = MasterColumn.allCases.map(\.name)

    /// Sends everything the session holds, in the order the rows' keys sort. The rows fetched
    /// are let go: the store holds this batch's writes now.
    func flushWrites() throws(StoreError) {
        xrefs = [:]
        customers = [:]
        try flushXrefs()
        try flushCustomers()
        if !pending.changes.isEmpty {
            try connection.copy(
                """
                COPY change_log (batch, customer_key, field, old_value, new_value, source_system, source_id, changed_at) FROM STDIN
                """, pending.changes.bytes)
        }
        try flushInteractions()
        if !pending.landlines.isEmpty {
            try connection.copy("COPY batch_landlines (landline_e164, customer_key) FROM STDIN", pending.landlines.bytes)
        }
        try flushRejects()
        pending.clear()
    }

    func flushRejects() throws(StoreError) {
        guard !pending.rejects.isEmpty else { return }
        try connection.copy(
            "COPY rejects (batch, source_system, source_file, locator, reason_code, reason, source_id, owner) FROM STDIN",
            pending.rejects.bytes)
        pending.clearRejects()
    }

    private static let xrefColumns =
        "source_system, source_id, customer_key, state, link, batch, digest, updated_at, record, raw_digest"

    private func flushXrefs() throws(StoreError) {
        // In key order: new ids after the stored ones go to the index's last page, which
        // PostgreSQL keeps at hand, and lie in the table in the order the snapshot reads them.
        let ids = pending.xrefRows.keys.sorted { ($0.system, $0.sourceID) < ($1.system, $1.sourceID) }
        var inserts = CopyRows()
        var upserts = CopyRows()
        for id in ids {
            guard let row = pending.xrefRows[id] else { continue }
            if row.stored { Self.add(id, row, to: &upserts) } else { Self.add(id, row, to: &inserts) }
        }
        if !inserts.isEmpty { try connection.copy("COPY xref (\(Self.xrefColumns)) FROM STDIN", inserts.bytes) }
        if !upserts.isEmpty {
            let columns = Self.xrefColumns
            try connection.copy("COPY stage_xref (\(columns)) FROM STDIN", upserts.bytes)
            try connection.execute(
                """
                INSERT INTO xref (\(columns)) SELECT \(columns) FROM stage_xref ORDER BY source_system, source_id
                ON CONFLICT (source_system, source_id) DO UPDATE SET customer_key = excluded.customer_key,
                    state = excluded.state, link = excluded.link, batch = excluded.batch, digest = excluded.digest,
                    updated_at = excluded.updated_at, record = excluded.record, raw_digest = excluded.raw_digest;
                TRUNCATE stage_xref
                """)
        }
        if !pending.rawDigests.isEmpty {
            var rows = CopyRows()
            for (id, rawDigest) in pending.rawDigests {
                rows.add(id.system)
                rows.add(id.sourceID)
                rows.add(rawDigest)
                rows.endRow()
            }
            try connection.copy("COPY stage_raw_digests (source_system, source_id, raw_digest) FROM STDIN", rows.bytes)
            try connection.execute(
                """
                UPDATE xref x SET raw_digest = s.raw_digest
                FROM (SELECT * FROM stage_raw_digests ORDER BY source_system, source_id) s
                WHERE x.source_system = s.source_system AND x.source_id = s.source_id;
                TRUNCATE stage_raw_digests
                """)
        }
        if !pending.links.isEmpty {
            var rows = CopyRows()
            for (id, link) in pending.links {
                rows.add(id.system)
                rows.add(id.sourceID)
                rows.add(bytea: link.customerKey)
                rows.add(link.state)
                rows.add(link.link)
                rows.add(link.batch)
                rows.endRow()
            }
            try connection.copy(
                "COPY stage_links (source_system, source_id, customer_key, state, link, batch) FROM STDIN", rows.bytes)
            try connection.execute(
                """
                UPDATE xref x SET customer_key = COALESCE(s.customer_key, x.customer_key), state = s.state, link = s.link,
                    batch = COALESCE(s.batch, x.batch)
                FROM (SELECT * FROM stage_links ORDER BY source_system, source_id) s
                WHERE x.source_system = s.source_system AND x.source_id = s.source_id
                    AND (s.batch IS NOT NULL OR x.link <> s.link);
                TRUNCATE stage_links
                """)
        }
    }

    private static func add(_ id: XrefID, _ row: PendingWrites.XrefRow, to rows: inout CopyRows) {
        rows.add(id.system)
        rows.add(id.sourceID)
        rows.add(bytea: row.customerKey)
        rows.add(row.state)
        rows.add(row.link)
        rows.add(row.batch)
        rows.add(row.digest)
        rows.add(row.updatedAt)
        rows.add(utf8: row.record)
        rows.add(row.rawDigest)
        rows.endRow()
    }

    private static let customerColumns =
        "customer_key, phone_e164, tax_id, \(masterColumns.joined(separator: ", ")), updated_at, provenance, "
        + "created_batch, changed_batch, created_system, created_source_id, systems"

    /// Customers this batch created go into the table; those it changed through staging.
    private func flushCustomers() throws(StoreError) {
        var inserts = CopyRows()
        var upserts = CopyRows()
        for (key, entry) in pending.customerRows {
            if entry.created != nil { add(key.bytes, entry, to: &inserts) } else { add(key.bytes, entry, to: &upserts) }
        }
        if !inserts.isEmpty { try connection.copy("COPY customers (\(Self.customerColumns)) FROM STDIN", inserts.bytes) }
        guard !upserts.isEmpty else { return }
        let updates = Self.masterColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try connection.copy("COPY stage_customers (\(Self.customerColumns)) FROM STDIN", upserts.bytes)
        try connection.execute(
            """
            INSERT INTO customers (\(Self.customerColumns)) SELECT \(Self.customerColumns) FROM stage_customers
            ORDER BY customer_key
            ON CONFLICT (customer_key) DO UPDATE SET \(updates), updated_at = excluded.updated_at,
                provenance = excluded.provenance, changed_batch = excluded.changed_batch, systems = excluded.systems;
            TRUNCATE stage_customers
            """)
    }

    private func add(_ key: [UInt8], _ entry: (customer: StoredCustomer, created: XrefID?), to rows: inout CopyRows) {
        rows.add(bytea: key)
        rows.add(entry.customer.phone)
        rows.add(entry.customer.taxID)
        for value in entry.customer.master.values { rows.add(value) }
        rows.add(entry.customer.updatedAt)
        rows.add(bytea: entry.customer.master.encodedProvenance)
        rows.add(batchNumber)
        rows.add(batchNumber)
        // An update keeps the stored creation: these fill the staging row only.
        rows.add(entry.created?.system ?? "")
        rows.add(entry.created?.sourceID ?? "")
        rows.add(entry.customer.systems)
        rows.endRow()
    }

    private func flushInteractions() throws(StoreError) {
        guard !pending.interactions.isEmpty else { return }
        var rows = CopyRows()
        for values in pending.interactions.values {
            for value in values { rows.add(value) }
            rows.endRow()
        }
        let columns = "source_system, source_id, batch, channel, started_at, phone_e164, agent, duration_s, outcome, called"
        try connection.copy("COPY stage_interactions (\(columns)) FROM STDIN", rows.bytes)
        try connection.execute(
            """
            INSERT INTO interactions (\(columns)) SELECT \(columns) FROM stage_interactions ORDER BY source_system, source_id
            ON CONFLICT (source_system, source_id) DO UPDATE SET batch = excluded.batch, channel = excluded.channel,
                started_at = excluded.started_at, phone_e164 = excluded.phone_e164, agent = excluded.agent,
                duration_s = excluded.duration_s, outcome = excluded.outcome, called = excluded.called;
            TRUNCATE stage_interactions
            """)
    }

    /// Moves the batch's landlines into their table, sorted.
    func flushLandlines() throws(StoreError) {
        try connection.execute(
            """
            INSERT INTO landlines (landline_e164, customer_key)
            SELECT DISTINCT landline_e164, customer_key FROM batch_landlines ORDER BY 1, 2 ON CONFLICT DO NOTHING;
            TRUNCATE batch_landlines
            """)
    }

    /// Adds the batch's changes to the counts of `presence_groups`.
    func flushPresence() throws(StoreError) {
        guard !presenceDeltas.isEmpty else { return }
        var rows = CopyRows()
        for (group, delta) in presenceDeltas.sorted(by: {
            ($0.key.owner, $0.key.systems, $0.key.mask) < ($1.key.owner, $1.key.systems, $1.key.mask)
        })
        where delta != 0 {
            rows.add(group.owner)
            rows.add(group.systems)
            rows.add(group.mask)
            rows.add(delta)
            rows.endRow()
        }
        presenceDeltas = [:]
        guard !rows.isEmpty else { return }
        try connection.execute("CREATE TEMP TABLE IF NOT EXISTS stage_presence (LIKE presence_groups) ON COMMIT DELETE ROWS")
        try connection.copy("COPY stage_presence (owner, systems, mask, customers) FROM STDIN", rows.bytes)
        try connection.execute(
            """
            INSERT INTO presence_groups (owner, systems, mask, customers)
            SELECT owner, systems, mask, customers FROM stage_presence ORDER BY owner, systems, mask
            ON CONFLICT (owner, systems, mask) DO UPDATE SET customers = presence_groups.customers + excluded.customers;
            DELETE FROM presence_groups WHERE customers = 0;
            TRUNCATE stage_presence
            """)
    }
}
