import Testing

@testable import Load

@Suite struct KeyBytesTests {
    /// Keys that differ in one byte, in length, or not at all, as dictionary keys and in the
    /// created-keys filter, which must never say "no" to a key it holds.
    @Test func keysAreTheirBytes() {
        let key = (0..<32).map { UInt8($0 * 7 % 251) }
        var other = key
        other[31] ^= 1
        var held: [KeyBytes: Int] = [KeyBytes(key): 1, KeyBytes(other): 2, KeyBytes(Array(key.prefix(31))): 3]
        held[KeyBytes(Array(key))] = 4
        #expect(held.count == 3)
        #expect(held[KeyBytes(key)] == 4 && held[KeyBytes(other)] == 2 && held[KeyBytes([])] == nil)

        var created = CreatedKeys()
        let keys = (0..<10_000).map { n in (0..<32).map { UInt8(truncatingIfNeeded: n &* 2_654_435_761 >> ($0 % 24)) } }
        for key in keys { created.insert(key) }
        #expect(keys.allSatisfy { created.mayContain($0) })
    }
}
