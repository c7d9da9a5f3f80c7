import CICU
import Testing

@testable import Extract

/// The table that decodes GB18030's and GBK's two-byte characters must give what ICU alone
/// gives, byte for byte and error for error, however the file is cut into chunks.
@Suite struct GBKTableTests {
    /// Decodes `bytes` fed in pieces of the given sizes, as `UTF8Stream` feeds a file: what a
    /// call leaves unconsumed goes in front of the next piece; the end is a flush.
    func decode(_ bytes: [UInt8], _ name: String, byTable: Bool, pieces: [Int]) throws -> (text: [UInt8], invalid: UInt64) {
        var message = [CChar](repeating: 0, count: 256)
        let converter = try #require(cb_converter_open(name, byTable ? 1 : 0, &message, message.count))
        defer { cb_converter_close(converter) }
        var text: [UInt8] = []
        var pending: [UInt8] = []
        var rest = bytes[...]
        func convert(flush: Bool) {
            repeat {
                var target = [CChar](repeating: 0, count: pending.count * 3 + 16)
                var consumed = 0
                var produced = 0
                let status = pending.withUnsafeBytes { source in
                    cb_converter_to_utf8(
                        converter, source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count, &target,
                        target.count, flush ? 1 : 0, &consumed, &produced)
                }
                #expect(status == 0)
                text += target.prefix(produced).map { UInt8(bitPattern: $0) }
                pending.removeFirst(consumed)
                if consumed == 0 { break }
            } while !pending.isEmpty
        }
        for size in pieces where !rest.isEmpty {
            pending += rest.prefix(size)
            rest = rest.dropFirst(size)
            convert(flush: false)
        }
        pending += rest
        convert(flush: true)
        return (text, cb_converter_invalid_count(converter))
    }

    func expectSame(_ bytes: [UInt8], pieces: [Int], _ comment: Comment? = nil) throws {
        for name in ["GB18030", "GBK"] {
            let alone = try decode(bytes, name, byTable: false, pieces: pieces)
            let byTable = try decode(bytes, name, byTable: true, pieces: pieces)
            #expect(byTable.text == alone.text, "\(name) \(comment ?? "")")
            #expect(byTable.invalid == alone.invalid, "\(name) \(comment ?? "")")
        }
    }

    @Test func chineseTextDecodesAsICUDecodesIt() throws {
        let text = "客户编号,客户名称,联系人\r\n1,深圳市腾飞科技有限公司,张伟（经理）\r\n2,€ 𠀀 𝄞 鎔 囍,李娜\r\n"
        let bytes = gb18030(text)
        try expectSame([], pieces: [1], "an empty file: only the flush")
        try expectSame([0x81], pieces: [1], "a lone lead byte, then the end")
        try expectSame(bytes, pieces: [bytes.count])
        #expect(try decode(bytes, "GB18030", byTable: true, pieces: [bytes.count]).text == Array(text.utf8))
        // Cut at every byte: each two- and four-byte character is split once.
        for cut in 1..<bytes.count { try expectSame(bytes, pieces: [cut, bytes.count], "cut at \(cut)") }
    }

    /// Bytes drawn from what trips a GB18030 decoder: leads, both kinds of trail, the digits of
    /// four-byte sequences, 0x80 and 0xFF, separators.
    @Test func anyBytesInAnyPiecesDecodeAsICUDecodesThem() throws {
        var random = SeededBytes()
        let alphabet: [ClosedRange<UInt8>] = [
            0x81...0xFE, 0x40...0x7E, 0x80...0xFE, 0x30...0x39, 0x80...0x80, 0xFF...0xFF, 0x0A...0x0A, 0x2C...0x2C, 0x20...0x2F,
        ]
        for round in 0..<400 {
            let count = Int(random.next() % 64) + 1
            let bytes = (0..<count).map { _ in
                let range = alphabet[Int(random.next() % UInt64(alphabet.count))]
                return range.lowerBound + UInt8(random.next() % UInt64(range.count))
            }
            let pieces = (0..<4).map { _ in Int(random.next() % 9) + 1 }
            try expectSame(bytes, pieces: pieces, "round \(round): \(bytes)")
        }
    }
}

/// Knuth's MMIX linear congruential generator: the same cases on every run.
private struct SeededBytes {
    private var state: UInt64 = 0x6B6B

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 29
    }
}
