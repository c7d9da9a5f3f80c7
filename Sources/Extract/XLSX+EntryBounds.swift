import Foundation

extension XLSXPackage {
    /// Refuses an archive an entry of which has its data running past the end of the file.
    /// ZIPFoundation reads an entry until it has its compressed size, and at the end of the file
    /// it reads nothing for ever: a local header with a long extra field or a wrong offset hung
    /// the reader on a 4 KB file (found by fuzzing). Read from the central directory and the
    /// local headers before any entry is; a ZIP64 archive, whose fields are elsewhere, is left to
    /// the other guards.
    static func checkEntriesFit(_ path: String, size: UInt64) throws(ExtractError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ExtractError(.cannotOpen, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        func read(_ count: Int, at offset: UInt64) -> [UInt8] {
            guard offset < size, (try? handle.seek(toOffset: offset)) != nil else { return [] }
            return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
        }
        func u16(_ bytes: [UInt8], _ at: Int) -> UInt64 { UInt64(bytes[at]) | UInt64(bytes[at + 1]) << 8 }
        func u32(_ bytes: [UInt8], _ at: Int) -> UInt64 { u16(bytes, at) | u16(bytes, at + 2) << 16 }

        // The end-of-central-directory record: 22 bytes and a comment of up to 65,535.
        let tailStart = size > 65_557 ? size - 65_557 : 0
        let tail = read(Int(size - tailStart), at: tailStart)
        guard tail.count >= 22,
            let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: {
                tail[$0] == 0x50 && tail[$0 + 1] == 0x4B && tail[$0 + 2] == 0x05 && tail[$0 + 3] == 0x06
            })
        else { return }  // ZIPFoundation says what is missing
        let count = u16(tail, end + 10)
        let directorySize = u32(tail, end + 12)
        let directoryOffset = u32(tail, end + 16)
        guard count != 0xFFFF, directoryOffset != 0xFFFF_FFFF, directoryOffset + directorySize <= size else { return }
        let directory = read(Int(directorySize), at: directoryOffset)
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, u32(directory, at) == 0x0201_4B50 else { return }
            let compressed = u32(directory, at + 20)
            let nameLength = Int(u16(directory, at + 28))
            let skip = nameLength + Int(u16(directory, at + 30)) + Int(u16(directory, at + 32))
            let localOffset = u32(directory, at + 42)
            let name = String(
                decoding: directory[min(at + 46, directory.count)..<min(at + 46 + nameLength, directory.count)], as: UTF8.self)
            at += 46 + skip
            guard compressed != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else { continue }
            let local = read(30, at: localOffset)
            let dataStart = localOffset + 30 + (local.count == 30 ? u16(local, 26) + u16(local, 28) : 0)
            guard local.count == 30, u32(local, 0) == 0x0403_4B50, dataStart + compressed <= size else {
                throw ExtractError(
                    .cannotRead, file: path,
                    """
                    the zip archive is damaged: the data of its entry '\(name.prefix(80))' would run past the end \
                    of the file (a truncated or altered copy?); no row could be read
                    """)
            }
        }
    }
}
