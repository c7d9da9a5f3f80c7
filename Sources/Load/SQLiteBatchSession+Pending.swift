import Foundation
import GRDB
import Transform

/// The pending pass, after a batch's last file: every record waiting for a customer (of this
/// batch or an earlier one) is linked when its mobile, tax ID or, for a contact, landline names
/// exactly one, and keeps waiting with the reason otherwise.
extension SQLiteBatchSession {
    func resolvePending() throws -> PendingResolution {
        try restoreLookups()
        var resolution = PendingResolution()
        let page = try db.makeStatement(
            sql: """
                SELECT source_system, source_id, record FROM xref
                WHERE state = 'pending' AND (source_system, source_id) > (?, ?)
                ORDER BY source_system, source_id LIMIT 5000
                """)
        let byPhone = try db.makeStatement(sql: "SELECT customer_key FROM customers WHERE phone_e164 = ? LIMIT 2")
        let byTaxID = try db.makeStatement(sql: "SELECT customer_key FROM customers WHERE tax_id = ? LIMIT 2")
        let byLandline = try db.makeStatement(sql: "SELECT customer_key FROM landlines WHERE landline_e164 = ? LIMIT 2")
        let link = try db.makeStatement(
            sql: """
                UPDATE xref SET customer_key = ?, state = 'merged', link = ?, batch = ? WHERE source_system = ? AND source_id = ?
                """)
        let markPending = try db.makeStatement(
            sql: """
                UPDATE xref SET link = ? WHERE source_system = ? AND source_id = ? AND link != ?
                """)
        // A landline is shared by many people: it links only a contact with no mobile (a call from
        // an office line), through a landline seen on a merged record. Those go last, once the
        // customer records of this pass have brought their landlines.
        for landlinePass in [false, true] {
            try flushLandlines()
            var after = ("", "")
            while true {
                let rows = try Row.fetchAll(page, arguments: [after.0, after.1])
                guard let last = rows.last else { break }
                // Each page must start past the last: an id that does not read back as stored (a NUL
                // cuts SQLite's text) would otherwise fetch the same page forever, holding the lock.
                guard (last[0] as String, last[1] as String) > after else {
                    throw StoreError(
                        .failed,
                        "the pending record \(last[0] as String)/\((last[1] as String).escapingControlCharacters) "
                            + "does not read back as stored; the batch was rolled back")
                }
                after = (last[0], last[1])
                for row in rows {
                    let system: String = row[0]
                    let sourceID: String = row[1]
                    guard let record = CanonicalRecord(encoded: row[2], sourceSystem: system, sourceID: sourceID) else {
                        throw StoreError(
                            .failed,
                            """
                            the pending record \(system)/\(sourceID.escapingControlCharacters) is stored in a form this \
                            crmbridge cannot read: the store is damaged, or written by another version
                            """)
                    }
                    guard PendingLink.belongs(record, toLandlinePass: landlinePass) else { continue }
                    var counts = resolution.bySystem[system] ?? PendingResolution.Counts()
                    let (target, outcome) = try PendingLink.choose(record, landlinePass: landlinePass) { via, value in
                        let statement = via == .phone ? byPhone : via == .taxID ? byTaxID : byLandline
                        return try Data.fetchAll(statement, arguments: [value]).map { Array($0) }
                    }
                    if let target {
                        try link.execute(arguments: [Data(target), outcome, batchNumber, system, sourceID])
                        _ = try mergeIntoExisting(key: target, record: record)
                        if pendingThisBatch.contains(PendingLink.reference(system, sourceID)) {
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
        }
        return resolution
    }
}
