/// The source rows a batch has written to the cross-reference, as a Bloom filter: "no" is
/// certain, "maybe" sends the caller to the store. A nightly run confirms most of its rows
/// unchanged; for a row this batch never wrote, the reading thread's snapshot already is the
/// stored row, and the look-up it saves was about a sixth of the store thread's time (1M-row
/// update run, perf).
struct WrittenRows {
    /// 2^24 bits (2 MiB) in blocks of one cache line, 3 probes in the row's block: a look-up
    /// costs one cache miss, not three (it was most of the filter's time in a re-run). By the
    /// Bloom formula under 0.5% false "maybe" after a million rows (a test holds it under 0.1%
    /// after 200,000).
    private var words = [UInt64](repeating: 0, count: 1 << 18)
    /// 2^15 blocks of 8 words.
    private static let blockMask: UInt64 = 1 << 15 - 1
    private static let probes: UInt64 = 3
    /// Whether any row was inserted: a batch that wrote none changed nothing a pending record
    /// links through.
    private(set) var isEmpty = true

    mutating func insert(_ system: String, _ sourceID: String) { insert(RowHash(system, sourceID)) }

    func mayContain(_ system: String, _ sourceID: String) -> Bool { mayContain(RowHash(system, sourceID)) }

    mutating func insert(_ row: RowHash) {
        isEmpty = false
        let block = Self.block(row)
        for probe in 0..<Self.probes {
            let bit = Self.bit(row, probe)
            words[block + bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    func mayContain(_ row: RowHash) -> Bool {
        // A re-run of unchanged exports writes nothing: no need to touch the filter's 2 MiB.
        if isEmpty { return false }
        let block = Self.block(row)
        for probe in 0..<Self.probes {
            let bit = Self.bit(row, probe)
            if words[block + bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }

    /// The first word of the row's block: the hash's low 15 bits.
    private static func block(_ row: RowHash) -> Int { Int(row.value & blockMask) << 3 }

    /// One of the block's 512 bits: 9 bits of the hash's upper half a probe.
    private static func bit(_ row: RowHash, _ probe: UInt64) -> Int { Int(row.value >> (32 + 9 * probe) & 511) }
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
