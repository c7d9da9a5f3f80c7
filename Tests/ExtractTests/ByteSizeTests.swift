import Testing

@testable import Extract

@Suite struct ByteSizeTests {
    static let sizes: [(String, UInt64)] = [
        ("4194304", 4 << 20), ("4 MiB", 4 << 20), ("4MiB", 4 << 20), ("512 KiB", 512 << 10), ("2 GiB", 2 << 30),
        ("1 kb", 1 << 10), ("3M", 3 << 20), ("100 bytes", 100), (" 7 ", 7),
    ]

    @Test(arguments: sizes)
    func readsSizes(text: String, bytes: UInt64) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "MiB", "-1 MiB", "1.5 MiB", "4 TiB", "1 Mib x", "99999999999999999999", "17179869184 GiB"])
    func refusesWhatIsNoSize(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func writesTheLargestExactUnit() {
        #expect(ByteSize.text(4 << 20) == "4 MiB")
        #expect(ByteSize.text(1536 << 10) == "1536 KiB")
        #expect(ByteSize.text(1_000) == "1000 bytes")
        #expect(ByteSize.text(1) == "1 byte")
        #expect(ByteSize.text(2 << 30) == "2 GiB")
    }
}
