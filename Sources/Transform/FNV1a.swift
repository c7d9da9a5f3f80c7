import Extract

/// 64-bit FNV-1a: stable across processes, unlike Swift's per-process seeded `Hasher`, so
/// digests stored by one run compare with the next run's.
struct FNV1a {
    private var state: UInt64

    init(seed: Int64 = 0) {
        state = 0xcbf2_9ce4_8422_2325 ^ UInt64(bitPattern: seed)
    }

    var value: Int64 { Int64(bitPattern: state) }

    mutating func mix(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    mutating func mix(_ text: String) {
        text.withUTF8Bytes { bytes in
            var hash = state
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            state = hash
        }
    }

    /// `text` after its length, so that ("ab", "c") and ("a", "bc") differ.
    mutating func mix(counted text: String) {
        var count = text.utf8.count
        for _ in 0..<4 {
            mix(byte: UInt8(truncatingIfNeeded: count))
            count >>= 8
        }
        mix(text)
    }
}
