/// The source rows a batch has written to the cross-reference, as a Bloom filter: "no" is
/// certain, "maybe" sends the caller to the store. A nightly run confirms most of its rows
/// unchanged; for a row this batch never wrote, the reading thread's snapshot already is the
/// stored row, and the look-up it saves was about a sixth of the store thread's time (1M-row
/// update run, perf).
struct WrittenRows {
    private var filter = HashFilter()
    /// Whether any row was inserted: a batch that wrote none changed nothing a pending record
    /// links through.
    var isEmpty: Bool { filter.isEmpty }

    mutating func insert(_ system: String, _ sourceID: String) { insert(RowHash(system, sourceID)) }

    func mayContain(_ system: String, _ sourceID: String) -> Bool { mayContain(RowHash(system, sourceID)) }

    mutating func insert(_ row: RowHash) { filter.insert(row.value) }

    func mayContain(_ row: RowHash) -> Bool { filter.mayContain(row.value) }
}

/// A source row's `system` and id hashed once, where its record is read (on a worker thread),
/// for the store thread's sets of the rows a batch wrote or found unchanged: hashing both
/// strings there, twice a row, was a tenth of a re-run's store thread. The process's seeded
/// `Hasher`: the sets live and die with one batch.
package struct RowHash: Sendable, Hashable {
    let value: UInt64

    package init(_ system: String, _ sourceID: String) {
        var hasher = Hasher()
        hasher.combine(system)
        hasher.combine(sourceID)
        value = UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
