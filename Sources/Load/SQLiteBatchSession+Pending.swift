import Foundation
import GRDB
import Transform

/// The pending pass, after a batch's last file: every record waiting for a customer (of this
/// batch or an earlier one) is linked when its mobile, tax ID or, for a contact, landline names
/// exactly one, and keeps waiting with the reason otherwise.
///
/// Two steps. Linking reads the waiting rows in the store's order, looks each one's customer up
/// and writes its cross-reference row, noting the linked ones. Merging then takes the noted
/// records sorted by customer (each customer's in the order they were linked, as one record at a
/// time would): a customer is read and written once for all its records, and the table once in
/// its own order, not once a page of waiting rows (a first load's records wait for the customers
/// of several files).
///
/// A batch that wrote no row (every row unchanged or rejected) skips the pass: the last batch's
/// pass left every waiting record matching no customer or several, and only a written row can
/// change that (a new customer, a new landline, a new waiting record; merging never changes a
/// customer's mobile or tax ID). A re-run of unchanged exports saved half a second at 200,000
/// customers.
extension SQLiteBatchSession {
    /// Pending rows read per page.
    static let pendingPage = 5_000

    func resolvePending() throws -> PendingResolution {
        // Before the index builds: the table of customers that early links kept is let go, all
        // but its mobiles, which the first linking loop reads.
        var held: HeldMobiles?
        let early: [String: Int]
        (early, held) = try settleEarlyLinks()
        try restoreLookups()
        guard !written.isEmpty else {
            try restoreChangeLogIndex()
            return PendingResolution()
        }
        var pass = try PendingPass(db, notes: early.values.reduce(0, +))
        var resolution = PendingResolution()
        for (system, linked) in early { resolution.bySystem[system, default: .init()].linkedFromBatch += linked }
        // A landline is shared by many people: it links only a contact with no mobile (a call from
        // an office line), through a landline seen on a merged record. Those go last, once the
        // customer records of this pass have brought their landlines; the first pass notes them.
        var landlineRows: [(system: String, sourceID: String)] = []
        try flushLandlines()
        var after = ("", "")
        while true {
            let rows = try pass.pendingPage(after: after)
            guard let last = rows.last else { break }
            // Each page must start past the last: an id that does not read back as stored (a NUL
            // cuts SQLite's text) would otherwise fetch the same page forever, holding the lock.
            guard (last.system, last.sourceID) > after else { throw Self.unreadable(last.system, last.sourceID) }
            after = (last.system, last.sourceID)
            for row in rows {
                let values = try Self.linkValues(row)
                guard PendingLink.belongs(values, toLandlinePass: false) else {
                    landlineRows.append((row.system, row.sourceID))
                    continue
                }
                try link(row, values, landlinePass: false, held: held, with: &pass, into: &resolution)
            }
        }
        held = nil  // before the merge, the pass's peak
        try mergeLinked(with: &pass)
        try flushLandlines()
        for (system, sourceID) in landlineRows {
            guard let row = try pass.pendingRow(system, sourceID) else { throw Self.unreadable(system, sourceID) }
            try link(row, try Self.linkValues(row), landlinePass: true, held: nil, with: &pass, into: &resolution)
        }
        try mergeLinked(with: &pass)
        try restoreChangeLogIndex()
        return resolution
    }

    /// Links or marks one pending record; a linked one is noted for `mergeLinked`. `held`: every
    /// mobile a customer holds, when known; the store is not asked for the customers of another.
    private func link(
        _ row: PendingPass.Row, _ values: PendingLink.Values, landlinePass: Bool, held: HeldMobiles?,
        with pass: inout PendingPass, into resolution: inout PendingResolution
    ) throws {
        var counts = resolution.bySystem[row.system] ?? PendingResolution.Counts()
        defer { resolution.bySystem[row.system] = counts }
        var rows: [Int64] = []
        let (target, outcome) = try PendingLink.choose(values, landlinePass: landlinePass) { via, value in
            if via == .phone, held?.noneHold(value) == true { return [] }
            let found = try pass.customers(via, value)
            rows = found.map(\.row)
            return found.map(\.key)
        }
        guard let target else {
            // A record that waits for the same reason as before is not written again.
            if row.link != outcome { try pass.markPending(row.system, row.sourceID, outcome: outcome) }
            if outcome.hasPrefix("ambiguous") { counts.ambiguous += 1 } else { counts.unmatched += 1 }
            return
        }
        try pass.link(row.system, row.sourceID, to: target, outcome: outcome, batch: batchNumber)
        // `choose` takes the only customer of its last look-up.
        try pass.note(row.system, row.sourceID, customer: rows[0])
        if pendingThisBatch.contains(row.system, row.sourceID) {
            counts.linkedFromBatch += 1
        } else {
            counts.linkedFromEarlier += 1
        }
    }

    /// Merges the records `link` noted into their customers, a customer at a time: read and
    /// written here, merged on a thread of its own (`LinkedMerger`).
    private func mergeLinked(with pass: inout PendingPass) throws {
        // Most nightly runs link a few records, or none: no sort worth a smaller cache.
        guard pass.notes > 0 else { return }
        let merger = LinkedMerger(batch: batch, decode: Self.decode)
        defer { merger.close() }
        var group: (row: Int64, key: [UInt8], records: [(encoded: String, system: String, sourceID: String)])?
        func store(_ batches: [[LinkedMerger.Done]]) throws {
            for done in batches.joined() {
                let (records, customer) = try done.merged.get()
                _ = try write(customer, of: records, key: done.key, row: done.row)
            }
            merger.recycle(batches)
        }
        func submit() throws {
            guard let ready = group else { return }
            group = nil
            // A customer gone since it was linked (none is, within a batch) has nothing to merge into.
            guard let (customer, _) = try storedCustomerRow(key: ready.key, row: ready.row) else { return }
            try store(merger.submit(.init(row: ready.row, key: ready.key, customer: customer, records: ready.records)))
        }
        // The sort holds as much memory as the page cache's size before it spills: an eighth is
        // enough (200,000 customers' first load sorts 110 MB in 14 runs), and the merging reads
        // the customers in their order, so its cache can stay that small.
        try resizeCache(toKiB: SQLiteStore.pageCacheKiB / 8)
        try pass.forEachNoted { row, key, system, sourceID, encoded in
            if group?.row != row {
                try submit()
                group = (row, key, [])
            }
            group?.records.append((encoded, system, sourceID))
        }
        try submit()
        try store(merger.finish())
        try resizeCache(toKiB: SQLiteStore.pageCacheKiB)
        try pass.clearNoted()
    }

    private static func linkValues(_ row: PendingPass.Row) throws -> PendingLink.Values {
        guard let values = CanonicalRecord.linkValues(encoded: row.record) else {
            throw damaged(row.system, row.sourceID)
        }
        return PendingLink.Values(mobile: values.mobile, taxID: values.taxID, landline: values.landline)
    }

    private static func decode(_ encoded: String, _ system: String, _ sourceID: String) throws -> CanonicalRecord {
        guard let record = CanonicalRecord(encoded: encoded, sourceSystem: system, sourceID: sourceID) else {
            throw damaged(system, sourceID)
        }
        return record
    }

    private static func damaged(_ system: String, _ sourceID: String) -> StoreError {
        StoreError(
            .failed,
            """
            the pending record \(system)/\(sourceID.escapingControlCharacters) is stored in a form this \
            crmbridge cannot read: the store is damaged, or written by another version
            """)
    }

    private static func unreadable(_ system: String, _ sourceID: String) -> StoreError {
        StoreError(
            .failed,
            "the pending record \(system)/\(sourceID.escapingControlCharacters) does not read back as stored; "
                + "the batch was rolled back")
    }
}

/// The statements of the pending pass, bound through SQLite's C API (`FastStatement`).
private struct PendingPass {
    typealias Row = (system: String, sourceID: String, record: String, link: String)

    private var page: FastStatement
    private var one: FastStatement
    private var byPhone: FastStatement
    private var byTaxID: FastStatement
    private var byLandline: FastStatement
    private var linkRow: FastStatement
    private var markRow: FastStatement
    private var noteRow: BatchedInsert
    private var noted: FastStatement
    private let db: Database
    /// Records noted since the last `clearNoted`.
    private(set) var notes = 0

    /// `notes`: the records linked early, noted already (`temp.pending_linked`, made by the session).
    init(_ db: Database, notes: Int) throws {
        self.db = db
        self.notes = notes
        page = try FastStatement(
            db,
            sql: """
                SELECT source_system, source_id, record, link FROM xref
                WHERE state = 'pending' AND (source_system, source_id) > (?, ?)
                ORDER BY source_system, source_id LIMIT \(SQLiteBatchSession.pendingPage)
                """)
        one = try FastStatement(
            db,
            sql: """
                SELECT source_system, source_id, record, link FROM xref
                WHERE source_system = ? AND source_id = ? AND state = 'pending'
                """)
        byPhone = try FastStatement(db, sql: "SELECT customer_key, rowid FROM customers WHERE phone_e164 = ? LIMIT 2")
        byTaxID = try FastStatement(db, sql: "SELECT customer_key, rowid FROM customers WHERE tax_id = ? LIMIT 2")
        byLandline = try FastStatement(
            db,
            sql: """
                SELECT l.customer_key, c.rowid FROM landlines l JOIN customers c ON c.customer_key = l.customer_key
                WHERE l.landline_e164 = ? LIMIT 2
                """)
        linkRow = try FastStatement(
            db,
            sql: """
                UPDATE xref SET customer_key = ?3, state = 'merged', link = ?4, batch = ?5
                WHERE source_system = ?1 AND source_id = ?2
                """)
        markRow = try FastStatement(db, sql: "UPDATE xref SET link = ?3 WHERE source_system = ?1 AND source_id = ?2")
        noteRow = BatchedInsert(db, into: "temp.pending_linked", columns: ["customer_row", "source_system", "source_id"])
        noted = try FastStatement(
            db,
            sql: """
                SELECT l.customer_row, x.customer_key, x.source_system, x.source_id, x.record
                FROM temp.pending_linked l JOIN xref x ON x.source_system = l.source_system AND x.source_id = l.source_id
                ORDER BY l.customer_row, l.source_system, l.source_id
                """)
    }

    /// The next page of pending rows past `after`, read whole before any of them is written.
    mutating func pendingPage(after: (String, String)) throws -> [Row] {
        page.reset()
        page.bind(after.0)
        page.bind(after.1)
        defer { page.reset() }
        var rows: [Row] = []
        while try page.step() { rows.append(Self.row(page)) }
        return rows
    }

    /// One pending row, nil when the store holds none of that id.
    mutating func pendingRow(_ system: String, _ sourceID: String) throws -> Row? {
        one.reset()
        one.bind(system)
        one.bind(sourceID)
        defer { one.reset() }
        return try one.step() ? Self.row(one) : nil
    }

    private static func row(_ statement: FastStatement) -> Row {
        (statement.text(0) ?? "", statement.text(1) ?? "", statement.text(2) ?? "", statement.text(3) ?? "")
    }

    /// Up to two customers that hold `value`, with their rowids.
    mutating func customers(_ via: PendingLink.Via, _ value: String) throws -> [(key: [UInt8], row: Int64)] {
        func fetch(_ statement: inout FastStatement) throws -> [(key: [UInt8], row: Int64)] {
            statement.reset()
            statement.bind(value)
            defer { statement.reset() }
            var found: [(key: [UInt8], row: Int64)] = []
            while try statement.step() { found.append((statement.blob(0), statement.int64(1))) }
            return found
        }
        switch via {
        case .phone: return try fetch(&byPhone)
        case .taxID: return try fetch(&byTaxID)
        case .landline: return try fetch(&byLandline)
        }
    }

    mutating func link(_ system: String, _ sourceID: String, to key: [UInt8], outcome: String, batch: Int64) throws {
        linkRow.reset()
        linkRow.bind(system)
        linkRow.bind(sourceID)
        linkRow.bind(blob: key)
        linkRow.bind(outcome)
        linkRow.bind(batch)
        try linkRow.execute()
    }

    mutating func markPending(_ system: String, _ sourceID: String, outcome: String) throws {
        markRow.reset()
        markRow.bind(system)
        markRow.bind(sourceID)
        markRow.bind(outcome)
        try markRow.execute()
    }

    /// Notes a linked record for `forEachNoted`.
    mutating func note(_ system: String, _ sourceID: String, customer row: Int64) throws {
        noteRow.bind(row)
        noteRow.bind(system)
        noteRow.bind(sourceID)
        try noteRow.endRow()
        notes += 1
    }

    /// The noted records with their customer's rowid and key, by customer, each customer's in
    /// the cross-reference's order: the order the pass links in, early links among them. The
    /// notes are kept in that order, so the cross-reference's rows are read in order too; the
    /// sort spills to temporary files past its memory.
    mutating func forEachNoted(
        _ body: (_ row: Int64, _ key: [UInt8], _ system: String, _ sourceID: String, _ record: String) throws -> Void
    ) throws {
        try noteRow.flush()
        noted.reset()
        defer { noted.reset() }
        while try noted.step() {
            try body(noted.int64(0), noted.blob(1), noted.text(2) ?? "", noted.text(3) ?? "", noted.text(4) ?? "")
        }
    }

    mutating func clearNoted() throws {
        try noteRow.flush()
        try db.execute(sql: "DELETE FROM temp.pending_linked")
        notes = 0
    }
}
