import Crypto
import Foundation

/// The master customer key: HMAC-SHA256 of a mobile phone and a tax ID (docs/design.md). 32 bytes held
/// inline, so keys are cheap to hash, compare and keep in dictionaries.
///
/// ```swift
/// let key = CustomerKeyer(secret: Array("s3cret".utf8)).key(phoneE164: "+8613800138000", taxID: "91440300MA5FXT4K8N")
/// key.hex   // 64 lowercase hex digits
/// ```
package struct CustomerKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    // The 32 bytes as four big-endian words: ordering the words orders the bytes.
    private let word0: UInt64
    private let word1: UInt64
    private let word2: UInt64
    private let word3: UInt64

    /// A key from its 32 bytes; nil for any other count.
    package init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        self.init(bigEndianWords: words)
    }

    /// A key from its 64 hex digits (either case); nil for anything else.
    package init?(hex: some StringProtocol) {
        var bytes = [UInt8](repeating: 0, count: 32)
        var count = 0
        for byte in hex.utf8 {
            let nibble: UInt8
            switch byte {
            case 0x30...0x39: nibble = byte - 0x30
            case 0x61...0x66: nibble = byte - 0x61 + 10
            case 0x41...0x46: nibble = byte - 0x41 + 10
            default: return nil
            }
            guard count < 64 else { return nil }
            bytes[count / 2] |= count % 2 == 0 ? nibble << 4 : nibble
            count += 1
        }
        guard count == 64 else { return nil }
        self.init(bytes: bytes)
    }

    /// `words` as laid out in memory: the bytes of the digest in order.
    private init(bigEndianWords words: (UInt64, UInt64, UInt64, UInt64)) {
        word0 = UInt64(bigEndian: words.0)
        word1 = UInt64(bigEndian: words.1)
        word2 = UInt64(bigEndian: words.2)
        word3 = UInt64(bigEndian: words.3)
    }

    /// The 32 bytes of the digest.
    package var bytes: [UInt8] {
        withDigestBytes { Array($0) }
    }

    /// The 64 lowercase hex digits of the digest.
    package var hex: String {
        withDigestBytes { digest in
            String(unsafeUninitializedCapacity: 64) { out in
                let digits: StaticString = "0123456789abcdef"
                let table = digits.utf8Start
                for (index, byte) in digest.enumerated() {
                    out[2 * index] = table[Int(byte >> 4)]
                    out[2 * index + 1] = table[Int(byte & 0x0F)]
                }
                return 64
            }
        }
    }

    package var description: String { hex }

    package static func < (lhs: CustomerKey, rhs: CustomerKey) -> Bool {
        (lhs.word0, lhs.word1, lhs.word2, lhs.word3) < (rhs.word0, rhs.word1, rhs.word2, rhs.word3)
    }

    private func withDigestBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        let words = (word0.bigEndian, word1.bigEndian, word2.bigEndian, word3.bigEndian)
        return withUnsafeBytes(of: words, body)
    }
}

/// Computes customer keys with the pipeline's secret. One per batch.
///
/// HMAC by its definition (RFC 2104), on two SHA-256 states with the secret's inner and outer
/// pads hashed once, each copied per key and fed through `update(bufferPointer:)`. A copied
/// `HMAC<SHA256>` did the same hashing, but its `update` is generic over `DataProtocol` (the
/// buffer's regions, conformances looked up): for 34 bytes, which hash no block, it took more
/// time than the finalize that hashes both (215 and 169 of 450 samples in a 1M first load).
package struct CustomerKeyer: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    package init(secret: some Collection<UInt8>) {
        var key = Array(secret)
        if key.count > SHA256.blockByteCount { key = Array(SHA256.hash(data: key)) }
        key += repeatElement(0, count: SHA256.blockByteCount - key.count)
        var inner = SHA256()
        inner.update(data: key.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: key.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// HMAC-SHA256(secret, e164 + "|" + taxID) – docs/design.md.
    package func key(phoneE164: String, taxID: String) -> CustomerKey {
        var phone = phoneE164
        var tax = taxID
        let phoneCount = phone.utf8.count
        let length = phoneCount + 1 + tax.utf8.count
        var hash = inner
        // One update with the whole message: each update call has a fixed cost.
        withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { message in
            phone.withUTF8 { if $0.count > 0 { message.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
            message[phoneCount] = 0x7C  // "|"
            tax.withUTF8 {
                if $0.count > 0 { (message.baseAddress! + phoneCount + 1).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
            hash.update(bufferPointer: UnsafeRawBufferPointer(message))
        }
        var mac = outer
        hash.finalize().withUnsafeBytes { mac.update(bufferPointer: $0) }
        return mac.finalize().withUnsafeBytes { CustomerKey(bytes: $0)! }
    }
}
