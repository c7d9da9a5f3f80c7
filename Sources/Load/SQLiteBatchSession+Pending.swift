import Foundation
import GRDB
import Transform

/// The pending pass, after a batch's last file: every record waiting for a customer (of this
/// batch or an earlier one) is linked when its mobile, tax ID or, for a contact, landline names
/// exactly one, and keeps waiting with the reason otherwise.
extension SQLiteBatchSession {
    /// Pending rows read per page (and linked records merged per sorted run).
    static let pendingPage = 5_000

    func resolvePending() throws -> PendingResolution {
        try restoreLookups()
        var pass = try PendingPass(db)
        var resolution = PendingResolution()
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
            var page: [PendingRow] = []
            page.reserveCapacity(rows.count)
            for row in rows {
                let record = try Self.decode(row)
                guard PendingLink.belongs(record, toLandlinePass: false) else {
                    landlineRows.append((row.system, row.sourceID))
                    continue
                }
                page.append(PendingRow(record: record, link: row.link))
            }
            try resolve(page, landlinePass: false, with: &pass, into: &resolution)
        }
        try flushLandlines()
        var page: [PendingRow] = []
        for (system, sourceID) in landlineRows {
            guard let row = try pass.pendingRow(system, sourceID) else { throw Self.unreadable(system, sourceID) }
            page.append(PendingRow(record: try Self.decode(row), link: row.link))
            if page.count == Self.pendingPage {
                try resolve(page, landlinePass: true, with: &pass, into: &resolution)
                page.removeAll(keepingCapacity: true)
            }
        }
        try resolve(page, landlinePass: true, with: &pass, into: &resolution)
        return resolution
    }

    /// Links or marks one page of pending records (in the store's order). Their cross-reference
    /// rows are updated in that order; the customers they link to are merged into in the order
    /// of their rows (each customer's records in their order): a page of the table then is read
    /// once for all the records it links, not once a record.
    private func resolve(
        _ page: [PendingRow], landlinePass: Bool, with pass: inout PendingPass, into resolution: inout PendingResolution
    ) throws {
        var linked: [(row: Int64, key: [UInt8], index: Int)] = []
        for (index, row) in page.enumerated() {
            let record = row.record
            let system = record.sourceSystem
            let sourceID = record.sourceID
            var counts = resolution.bySystem[system] ?? PendingResolution.Counts()
            var rows: [Int64] = []
            let (target, outcome) = try PendingLink.choose(record, landlinePass: landlinePass) { via, value in
                let found = try pass.customers(via, value)
                rows = found.map(\.row)
                return found.map(\.key)
            }
            if let target {
                try pass.link(system, sourceID, to: target, outcome: outcome, batch: batchNumber)
                // `choose` takes the only customer of its last look-up; a landline's has no row yet.
                linked.append((rows.first ?? Int64.max, target, index))
                if pendingThisBatch.contains(PendingLink.reference(system, sourceID)) {
                    counts.linkedFromBatch += 1
                } else {
                    counts.linkedFromEarlier += 1
                }
            } else {
                // A record that waits for the same reason as before is not written again.
                if row.link != outcome { try pass.markPending(system, sourceID, outcome: outcome) }
                if outcome.hasPrefix("ambiguous") { counts.ambiguous += 1 } else { counts.unmatched += 1 }
            }
            resolution.bySystem[system] = counts
        }
        linked.sort { a, b in
            if a.row != b.row { return a.row < b.row }
            if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
            return a.index < b.index
        }
        for (row, key, index) in linked {
            _ = try mergeIntoExisting(key: key, record: page[index].record, row: row == Int64.max ? nil : row)
        }
    }

    private static func decode(_ row: PendingPass.Row) throws -> CanonicalRecord {
        guard let record = CanonicalRecord(encoded: row.record, sourceSystem: row.system, sourceID: row.sourceID) else {
            throw StoreError(
                .failed,
                """
                the pending record \(row.system)/\(row.sourceID.escapingControlCharacters) is stored in a form this \
                crmbridge cannot read: the store is damaged, or written by another version
                """)
        }
        return record
    }

    private static func unreadable(_ system: String, _ sourceID: String) -> StoreError {
        StoreError(
            .failed,
            "the pending record \(system)/\(sourceID.escapingControlCharacters) does not read back as stored; "
                + "the batch was rolled back")
    }
}

/// A pending record and why it waited until now.
private struct PendingRow {
    var record: CanonicalRecord
    var link: String
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

    init(_ db: Database) throws {
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
            db, sql: "SELECT customer_key, \(Int64.max) FROM landlines WHERE landline_e164 = ? LIMIT 2")
        linkRow = try FastStatement(
            db,
            sql: """
                UPDATE xref SET customer_key = ?3, state = 'merged', link = ?4, batch = ?5
                WHERE source_system = ?1 AND source_id = ?2
                """)
        markRow = try FastStatement(db, sql: "UPDATE xref SET link = ?3 WHERE source_system = ?1 AND source_id = ?2")
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

    /// Up to two customers that hold `value`, with their rowids (`Int64.max`: not known).
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
}
