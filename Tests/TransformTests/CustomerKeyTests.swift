import Crypto
import Testing

@testable import Transform

@Suite struct CustomerKeyTests {
    /// Expected values computed independently with Python:
    /// `hmac.new(secret, (e164 + "|" + tax_id).encode(), hashlib.sha256).hexdigest()`.
    @Test(
        "HMAC-SHA256 of phone | tax ID",
        arguments: [
            (
                "test-secret", "+8613800138000", "91440300MA5FXT4K8N",
                "d1d6a23d1888409ed9646342ca3b31933d2ac55f689655eabd63e75bb357793e"
            ),
            (
                String(repeating: "k", count: 100), "+8613800138000", "91440300MA5FXT4K8N",  // a key longer than a block
                "a50d100cc822fc502214ba40cc5d2f6c6c6d732dbdf6b15bea7060f0d55da689"
            ),
            ("", "", "", "b16e85152df8e5b39742268c179d70265fd15476351e2af87fec7b0f4b9b7d20"),
            (
                "密钥", "+14155552671", "91513230181879500H",
                "d619fd0c167d76c753228ffaf1daecfce12659775fb54f5a838b1d0729ff43e5"
            ),
        ])
    func vectors(secret: String, phone: String, taxID: String, hex: String) {
        let key = CustomerKeyer(secret: Array(secret.utf8)).key(phoneE164: phone, taxID: taxID)
        #expect(key.hex == hex)
        #expect(key.description == hex)
        #expect(key.bytes.count == 32)
        #expect(key.bytes.first == UInt8(hex.prefix(2), radix: 16))
        #expect(key.bytes.last == UInt8(hex.suffix(2), radix: 16))
    }

    /// The keyer's HMAC is swift-crypto's, for secrets shorter than a block, of a block, just
    /// longer and much longer, and messages of several lengths.
    @Test(arguments: [0, 1, 31, 63, 64, 65, 128, 300])
    func isHMACSHA256(secretLength: Int) {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<secretLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let keyer = CustomerKeyer(secret: secret)
        for taxLength in [0, 18, 60, 200] {
            let phone = "+86138\(UInt32.random(in: 0...99_999_999, using: &generator))"
            let taxID = String(repeating: "9", count: taxLength)
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(phone)|\(taxID)".utf8), using: SymmetricKey(data: secret))
            #expect(keyer.key(phoneE164: phone, taxID: taxID) == CustomerKey(bytes: Array(mac)))
        }
    }

    @Test func theSecretAndBothHalvesMatter() {
        let keyer = CustomerKeyer(secret: Array("a".utf8))
        let key = keyer.key(phoneE164: "+8613800138000", taxID: "91440300MA5FXT4K8N")
        #expect(key == keyer.key(phoneE164: "+8613800138000", taxID: "91440300MA5FXT4K8N"))
        #expect(key != CustomerKeyer(secret: Array("b".utf8)).key(phoneE164: "+8613800138000", taxID: "91440300MA5FXT4K8N"))
        #expect(key != keyer.key(phoneE164: "+8613800138001", taxID: "91440300MA5FXT4K8N"))
        #expect(key != keyer.key(phoneE164: "+8613800138000", taxID: "92350504MAYYAJ5P21"))
        // The separator keeps the halves apart: "a|bc" is not "ab|c".
        #expect(keyer.key(phoneE164: "a", taxID: "bc") != keyer.key(phoneE164: "ab", taxID: "c"))
    }

    @Test func aKeyerSharedByManyTasksGivesTheSameKeys() async {
        let keyer = CustomerKeyer(secret: Array("test-secret".utf8))
        let keys = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { keyer.key(phoneE164: "+8613800138000", taxID: "91440300MA5FXT4K8N").hex }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["d1d6a23d1888409ed9646342ca3b31933d2ac55f689655eabd63e75bb357793e"])
    }

    @Test func hexRoundTrips() throws {
        let key = CustomerKeyer(secret: Array("x".utf8)).key(phoneE164: "+8613800138000", taxID: "91440300MA5FXT4K8N")
        #expect(CustomerKey(hex: key.hex) == key)
        #expect(CustomerKey(hex: key.hex.uppercased()) == key)
        #expect(CustomerKey(bytes: key.bytes) == key)
    }

    @Test(
        "text that is no key",
        arguments: [
            "", "abc", String(repeating: "0", count: 63), String(repeating: "0", count: 65), String(repeating: "g", count: 64),
        ])
    func badHex(text: String) {
        #expect(CustomerKey(hex: text) == nil)
    }

    @Test func badByteCounts() {
        #expect(CustomerKey(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        #expect(CustomerKey(bytes: [UInt8](repeating: 0, count: 33)) == nil)
        #expect(CustomerKey(bytes: [UInt8](repeating: 0, count: 32))?.hex == String(repeating: "0", count: 64))
    }

    @Test func keysOrderByTheirBytes() throws {
        let low = try #require(CustomerKey(hex: "00" + String(repeating: "ff", count: 31)))
        let high = try #require(CustomerKey(hex: "01" + String(repeating: "00", count: 31)))
        #expect(low < high)
        #expect([high, low].sorted() == [low, high])
    }
}
