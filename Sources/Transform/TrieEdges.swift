/// The gazetteer trie's edges, (node << 21 | scalar) → child node: an open-addressing table with
/// a multiplicative hash. A `Dictionary` hashed each key with SipHash: the address parse asks
/// about 18 edges a row, and the hashing and probing were 3.4% of a reading thread's instructions.
struct TrieEdges {
    /// A slot no key fills: keys are below 2^53 (nodes below 2^32, scalars below 2^21).
    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var children: [Int32]
    private let shift: UInt64
    private(set) var count = 0

    /// A table for up to `capacity` edges, at most half full.
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        keys = Array(repeating: Self.empty, count: size)
        children = Array(repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The child at the end of the edge, or nil.
    @inline(__always)
    subscript(key: UInt64) -> Int32? {
        keys.withUnsafeBufferPointer { keys in
            var index = slot(key)
            while true {
                let found = keys[index]
                if found == key { return children[index] }
                if found == Self.empty { return nil }
                index = (index + 1) & (keys.count - 1)
            }
        }
    }

    /// Adds an edge the table does not hold; grows it past half full.
    mutating func insert(_ key: UInt64, child: Int32) {
        precondition(key != Self.empty)
        if 2 * (count + 1) > keys.count {
            var larger = TrieEdges(capacity: keys.count)
            for index in keys.indices where keys[index] != Self.empty { larger.insert(keys[index], child: children[index]) }
            self = larger
        }
        var index = slot(key)
        while keys[index] != Self.empty { index = (index + 1) & (keys.count - 1) }
        keys[index] = key
        children[index] = child
        count += 1
    }
}
