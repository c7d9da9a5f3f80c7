import Extract
import Testing

@testable import Transform

@Suite struct TrieEdgesTests {
    /// Against a Dictionary: the same answers for keys held and not held, through the table's
    /// growth from 16 slots (probing past taken slots all along), with the key 0 (the root and
    /// U+0000) and the largest key a trie makes.
    @Test func answersAsADictionaryDoes() {
        var random = SplitMix64(seed: 14)
        var edges = TrieEdges(capacity: 4)
        var expected: [UInt64: Int32] = [:]
        let keys: [UInt64] = [0, 1, 1 << 21, (1 << 32 - 1) << 21 | 0x1F_FFFF] + (0..<5_000).map { _ in random.next() >> 11 }
        for (index, key) in keys.enumerated() where expected[key] == nil {
            edges.insert(key, child: Int32(index))
            expected[key] = Int32(index)
        }
        #expect(edges.count == expected.count)
        for key in keys { #expect(edges[key] == expected[key]) }
        for _ in 0..<5_000 {
            let key = random.next() >> 11
            #expect(edges[key] == expected[key])
        }
    }

    @Test func anEmptyTableHoldsNothing() {
        let edges = TrieEdges(capacity: 0)
        #expect(edges[0] == nil)
        #expect(edges[12_345] == nil)
    }
}
