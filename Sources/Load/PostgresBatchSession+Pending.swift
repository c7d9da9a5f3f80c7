import Transform

/// The pending pass of `SQLiteBatchSession+Pending.swift`, a page at a time: the page's
/// mobiles, tax IDs and landlines are looked up in one query each, its records linked by
/// `PendingLink` in the order SQLite takes them, and the page's writes sent together.
extension PostgresBatchSession {
    private static let pageSize = 5_000

    func resolvePending() throws -> PendingResolution {
        try flushWrites()
        try restoreLookups()
        // As in SQLite's pass: a batch that wrote no row would link none.
        guard !written.isEmpty else { return PendingResolution() }
        var resolution = PendingResolution()
        for landlinePass in [false, true] {
            try flushLandlines()
            var after = ("", "")
            while true {
                let page = try connection.execute(
                    """
                    SELECT source_system, source_id, record FROM xref
                    WHERE state = 'pending' AND (source_system, source_id) > ($1, $2)
                    ORDER BY source_system, source_id LIMIT \(Self.pageSize)
                    """, [after.0, after.1])
                guard page.rows > 0 else { break }
                let last = (page[page.rows - 1, 0] ?? "", page[page.rows - 1, 1] ?? "")
                guard last > after else {
                    throw StoreError(
                        .failed,
                        "the pending record \(last.0)/\(last.1.escapingControlCharacters) does not read back as stored; "
                            + "the batch was rolled back")
                }
                after = last
                var records: [CanonicalRecord] = []
                for row in 0..<page.rows {
                    let system = page[row, 0] ?? ""
                    let sourceID = page[row, 1] ?? ""
                    guard let record = CanonicalRecord(encoded: page[row, 2] ?? "", sourceSystem: system, sourceID: sourceID)
                    else {
                        throw StoreError(
                            .failed,
                            """
                            the pending record \(system)/\(sourceID.escapingControlCharacters) is stored in a form this \
                            crmbridge cannot read: the store is damaged, or written by another version
                            """)
                    }
                    if PendingLink.belongs(PendingLink.Values(record), toLandlinePass: landlinePass) { records.append(record) }
                }
                try link(records, landlinePass: landlinePass, into: &resolution)
            }
        }
        return resolution
    }

    /// Links one page's records, in order.
    private func link(_ records: [CanonicalRecord], landlinePass: Bool, into resolution: inout PendingResolution) throws {
        let holders = try customersHolding(
            mobiles: records.compactMap(\.mobile), taxIDs: records.compactMap(\.taxID),
            landlines: landlinePass ? records.compactMap { $0[.landline] } : [])
        let choices = records.map { record in
            PendingLink.choose(PendingLink.Values(record), landlinePass: landlinePass) { via, value in holders[via]?[value] ?? []
            }
        }
        customers = [:]
        try fetchCustomers(choices.compactMap(\.target))
        for (record, choice) in zip(records, choices) {
            let id = XrefID(system: record.sourceSystem, sourceID: record.sourceID)
            var counts = resolution.bySystem[id.system] ?? PendingResolution.Counts()
            if let target = choice.target {
                pending.links[id] = .init(customerKey: target, state: "merged", link: choice.outcome, batch: batchNumber)
                mergeIntoExisting(key: target, record: record)
                if pendingThisBatch.contains(id.system, id.sourceID) {
                    counts.linkedFromBatch += 1
                } else {
                    counts.linkedFromEarlier += 1
                }
            } else {
                pending.links[id] = .init(customerKey: nil, state: "pending", link: choice.outcome, batch: nil)
                if choice.outcome.hasPrefix("ambiguous") { counts.ambiguous += 1 } else { counts.unmatched += 1 }
            }
            resolution.bySystem[id.system] = counts
        }
        try flushWrites()
    }

    /// Per kind of value, up to two customers holding each value (the pass links through a value
    /// only when exactly one does). Customers are not created during the pass, so the answers
    /// hold for the whole page.
    private func customersHolding(mobiles: [String], taxIDs: [String], landlines: [String]) throws(StoreError)
        -> [PendingLink.Via: [String: [[UInt8]]]]
    {
        var holders: [PendingLink.Via: [String: [[UInt8]]]] = [:]
        for (via, values, column, table) in [
            (PendingLink.Via.phone, mobiles, "phone_e164", "customers"), (.taxID, taxIDs, "tax_id", "customers"),
            (.landline, landlines, "landline_e164", "landlines"),
        ] where !values.isEmpty {
            // Two per value are enough to tell one holder from several.
            let rows = try connection.execute(
                """
                SELECT value, customer_key FROM (
                    SELECT \(column) AS value, customer_key, row_number() OVER (PARTITION BY \(column)) AS n FROM \(table)
                    WHERE \(column) = ANY($1::text[])
                ) AS holders WHERE n <= 2
                """, [arrayLiteral(Set(values))])
            var found: [String: [[UInt8]]] = [:]
            for row in 0..<rows.rows {
                guard let value = rows[row, 0], let key = rows.bytes(row, 1), found[value, default: []].count < 2 else {
                    continue
                }
                found[value, default: []].append(key)
            }
            holders[via] = found
        }
        return holders
    }
}
