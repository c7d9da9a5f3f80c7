import Foundation
import GRDB
import Transform

/// Early links (`EarlyLinks`): a waiting record whose mobile names exactly one customer when
/// it is merged gets its cross-reference row linked then (`link = phone`) and a note for the
/// pending pass, which merges it with the records it links itself, in the same order. What
/// the pass would have decided is decided again only for the records whose mobile a later
/// customer of the batch made ambiguous: they wait for the pass as before.
extension SQLiteBatchSession {
    /// The only customer holding the record's mobile now, in a batch that started with no
    /// customer; nil for a record without a mobile, or one the pass must link.
    func earlyCustomer(_ record: CanonicalRecord) throws -> EarlyLinks.Target? {
        guard customersBefore == 0, let mobile = record.mobile else { return nil }
        if earlyLinks == nil {
            // The first waiting record with a mobile: the customers made so far (every batch
            // that links nothing early, such as a load of keyed exports, keeps no table of them).
            try flushWaitingRows()
            var links = EarlyLinks()
            let customers = try Row.fetchCursor(db, sql: "SELECT phone_e164, customer_key, rowid FROM customers")
            while let customer = try customers.next() {
                links.add(mobile: customer[0], key: [UInt8]((customer[1] as Data?) ?? Data()), row: customer[2])
            }
            earlyLinks = links
        }
        return earlyLinks?.customer(mobile: mobile)
    }

    /// Notes a record linked early (to what `earlyCustomer` found for it) for the pending pass's merge.
    func noteEarlyLink(_ record: CanonicalRecord, to target: EarlyLinks.Target) throws {
        earlyNotes.bind(record.sourceSystem)
        earlyNotes.bind(record.sourceID)
        earlyNotes.bind(target.row)
        earlyNotes.bind(record.mobile)
        try earlyNotes.endRow()
        earlyLinks?.linked(to: target, system: record.sourceSystem)
    }

    /// Takes back the early link of a record written again, if it had one.
    func takeBackEarlyLink(_ system: String, _ sourceID: String) throws {
        try earlyNotes.flush()
        deleteNote.reset()
        deleteNote.bind(system)
        deleteNote.bind(sourceID)
        if try deleteNote.execute() > 0 { earlyLinks?.unlinked(system: system) }
    }

    /// Puts the early links through the mobiles `where` picks back to waiting, as the merge wrote
    /// them (`link = unmatched`), for the pass to decide.
    func takeBackEarlyLinks(where picked: (UInt64) -> Bool) throws {
        guard let links = earlyLinks, links.count > 0 else { return }
        try flushWaitingRows()
        var taken: [(system: String, sourceID: String)] = []
        let notes = try Row.fetchCursor(
            db, sql: "SELECT source_system, source_id, mobile FROM temp.pending_linked WHERE mobile IS NOT NULL")
        while let note = try notes.next() {
            guard let code = EarlyLinks.code(note[2]), picked(code) else { continue }
            taken.append((note[0], note[1]))
        }
        let waiting = try db.makeStatement(
            sql: """
                UPDATE xref SET customer_key = NULL, state = 'pending', link = '\(PendingLink.unmatched)'
                WHERE source_system = ? AND source_id = ?
                """)
        for (system, sourceID) in taken {
            try waiting.execute(arguments: [system, sourceID])
            try takeBackEarlyLink(system, sourceID)
            pendingThisBatch.insert(system, sourceID)
        }
    }

    /// The early links that hold, per system, for the pass to count, and the mobiles held; the
    /// batch links no more early (the files are merged) and lets go of its table of customers.
    func settleEarlyLinks() throws -> (counts: [String: Int], held: HeldMobiles?) {
        guard let broken = earlyLinks?.broken else { return ([:], nil) }
        if !broken.isEmpty { try takeBackEarlyLinks(where: broken.contains) }
        let counts = earlyLinks?.bySystem ?? [:]
        let held = earlyLinks?.heldMobiles
        earlyLinks = nil
        FreedMemory.release()
        return (counts, held)
    }
}
