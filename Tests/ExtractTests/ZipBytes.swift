import Foundation

/// Writes a zip archive byte by byte, for the cases no zip library writes: zip64 records on a
/// small file, deflate streams that never end, encrypted or foreign entries.
struct ZipBytes {
    struct Entry {
        var name: String
        var method: UInt16 = 0
        var flags: UInt16 = 0
        /// The entry's data as stored (compressed, for method 8).
        var data: [UInt8]
        /// The inflated content, for the CRC-32 and size the directory records.
        var content: [UInt8]
        /// The compressed size the headers claim, when it is not the data's.
        var claimedSize: Int?

        var compressedSize: UInt64 { UInt64(claimedSize ?? data.count) }
    }

    var entries: [Entry] = []
    /// Sizes and offsets in zip64 extra fields, and a zip64 end record.
    var zip64 = false

    /// Stored entries of the parts as they are.
    init(parts: [(String, String)], zip64: Bool = false) {
        entries = parts.map { Entry(name: $0.0, data: Array($0.1.utf8), content: Array($0.1.utf8), claimedSize: nil) }
        self.zip64 = zip64
    }

    /// Deflate data of `content` in stored blocks; without its final block the stream never ends.
    static func deflateStored(_ content: [UInt8], final: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        var blocks = stride(from: 0, to: content.count, by: 0xFFFF).map { content[$0..<min($0 + 0xFFFF, content.count)] }
        if blocks.isEmpty { blocks = [[]] }
        for (index, block) in blocks.enumerated() {
            let length = UInt16(block.count)
            out.append(final && index == blocks.count - 1 ? 1 : 0)
            out += le(length) + le(~length) + block
        }
        return out
    }

    func write() throws -> String {
        var file: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let offset = UInt64(file.count)
            let crc = crc32(entry.content)
            let name = Array(entry.name.utf8)
            let small32: (UInt64) -> UInt32 = { zip64 ? 0xFFFF_FFFF : UInt32($0) }
            let extra: [UInt8] =
                zip64
                ? le(UInt16(1)) + le(UInt16(24)) + le(UInt64(entry.content.count)) + le(entry.compressedSize)
                    + le(offset) : []
            file += le(UInt32(0x0403_4B50)) + le(UInt16(20)) + le(entry.flags) + le(entry.method) + le(UInt32(0))
            file += le(crc) + le(small32(entry.compressedSize)) + le(small32(UInt64(entry.content.count)))
            file += le(UInt16(name.count)) + le(UInt16(0)) + name + entry.data
            directory += le(UInt32(0x0201_4B50)) + le(UInt16(45)) + le(UInt16(45)) + le(entry.flags) + le(entry.method)
            directory += le(UInt32(0)) + le(crc) + le(small32(entry.compressedSize))
            directory += le(small32(UInt64(entry.content.count))) + le(UInt16(name.count)) + le(UInt16(extra.count))
            directory += le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0)) + le(small32(offset))
            directory += name + extra
        }
        let directoryOffset = UInt64(file.count)
        file += directory
        let count = UInt64(entries.count)
        if zip64 {
            let record = UInt64(file.count)
            file += le(UInt32(0x0606_4B50)) + le(UInt64(44)) + le(UInt16(45)) + le(UInt16(45)) + le(UInt32(0))
            file += le(UInt32(0)) + le(count) + le(count) + le(UInt64(directory.count)) + le(directoryOffset)
            file += le(UInt32(0x0706_4B50)) + le(UInt32(0)) + le(record) + le(UInt32(1))
        }
        file += le(UInt32(0x0605_4B50)) + le(UInt16(0)) + le(UInt16(0))
        file += le(zip64 ? UInt16(0xFFFF) : UInt16(count)) + le(zip64 ? UInt16(0xFFFF) : UInt16(count))
        file += le(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(directory.count))
        file += le(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(directoryOffset)) + le(UInt16(0))
        return try temporaryFile(file, suffix: ".xlsx")
    }
}

private func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian, Array.init)
}

private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
