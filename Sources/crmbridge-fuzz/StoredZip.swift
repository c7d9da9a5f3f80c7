/// One entry of a stored (uncompressed) zip archive, its CRC-32 computed once: the xlsx-sheet
/// target's fixed parts are made once per process, and only the sheet per input.
struct StoredEntry {
    let name: [UInt8]
    let data: [UInt8]
    let crc: UInt32

    init(_ name: String, _ data: [UInt8]) {
        self.name = Array(name.utf8)
        self.data = data
        self.crc = crc32(data)
    }
}

/// A zip archive of `entries` stored without compression: what the xlsx-sheet target wraps its
/// input in (so that the fuzzer's bytes reach the sheet scanner as they are).
func storedZip(_ entries: [StoredEntry]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    out.reserveCapacity(entries.reduce(22) { $0 + 76 + 2 * $1.name.count + $1.data.count })
    central.reserveCapacity(entries.reduce(0) { $0 + 46 + $1.name.count })
    func u16(_ value: Int, _ into: inout [UInt8]) {
        into.append(UInt8(value & 0xFF))
        into.append(UInt8(value >> 8 & 0xFF))
    }
    func u32(_ value: UInt32, _ into: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { into.append(UInt8(value >> UInt32(shift) & 0xFF)) }
    }
    for entry in entries {
        let offset = UInt32(out.count)
        let size = UInt32(entry.data.count)
        // Local file header: version 2.0, no flags, stored, no time, CRC, sizes, name.
        u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
        u32(entry.crc, &out); u32(size, &out); u32(size, &out)
        u16(entry.name.count, &out); u16(0, &out)
        out += entry.name
        out += entry.data
        // Its central directory record.
        u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
        u16(0, &central); u16(0x21, &central)
        u32(entry.crc, &central); u32(size, &central); u32(size, &central)
        u16(entry.name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
        u32(0, &central); u32(offset, &central)
        central += entry.name
    }
    let directoryOffset = UInt32(out.count)
    out += central
    // End of central directory.
    u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
    u32(UInt32(central.count), &out); u32(directoryOffset, &out); u16(0, &out)
    return out
}

private let crcTable: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// CRC-32 (zlib's, the one zip uses).
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}
