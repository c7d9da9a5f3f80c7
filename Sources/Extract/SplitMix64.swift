/// A small seeded generator (SplitMix64): the same numbers for the same seed on every machine,
/// for samples a user can ask for again (`scan consistency --seed`), benchmark inputs that compare
/// across commits, and random tests whose failing seed can be run again.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    package var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (the modulo's bias does not matter at these bounds).
    package mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
