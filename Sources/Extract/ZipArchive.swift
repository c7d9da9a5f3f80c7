import Foundation

/// A zip archive opened for reading: its central directory, and the bytes of an entry's data
/// read by position, never past the data's recorded end.
///
/// crmbridge reads zips itself because ZIPFoundation's reader inflates until the deflate stream
/// says it ended: it reads on past the entry into the rest of the file, and at the end of the file
/// reads nothing for ever. A 4 KB fuzzed workbook whose stream never ended hung every run.
/// (ZIPFoundation still writes the xlsx exports.)
final class ZipArchive: @unchecked Sendable {
    struct Entry {
        let path: String
        /// 0 stored, 8 deflate; the others are refused when the entry is read.
        let method: UInt16
        let flags: UInt16
        let checksum: UInt32
        let compressedSize: UInt64
        let uncompressedSize: UInt64
        fileprivate let localHeaderOffset: UInt64

        var isDirectory: Bool { path.hasSuffix("/") }
    }

    enum Failure: Error, CustomStringConvertible {
        /// No end of central directory record: a truncated copy, or not a zip.
        case noDirectory
        case damaged(String)
        case unreadable(Int32)

        var description: String {
            switch self {
            case .noDirectory: "its central directory is missing"
            case .damaged(let reason): reason
            case .unreadable(let code): String(cString: strerror(code))
            }
        }
    }

    /// A directory larger than this is not a workbook's (a few dozen entries of about 80 bytes).
    static let maxDirectoryBytes = 16 << 20

    let fileSize: UInt64
    let entries: [Entry]
    private let descriptor: Int32

    init(path: String) throws(Failure) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw .unreadable(code)
        }
        fileSize = UInt64(status.st_size)
        do {
            entries = try Self.readDirectory(descriptor, fileSize: fileSize)
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes at `offset`; fewer only at the end of the file.
    func bytes(at offset: UInt64, count: Int) throws(Failure) -> [UInt8] {
        try Self.bytes(descriptor, at: offset, count: count)
    }

    /// Where the entry's data lies in the file, from its local header; checked to end inside the
    /// file, and the entry to be one crmbridge can read.
    func dataRange(of entry: Entry) throws(Failure) -> Range<UInt64> {
        if entry.flags & 1 != 0 { throw .damaged("\(entry.path) is encrypted") }
        guard entry.method == 0 || entry.method == 8 else {
            throw .damaged("\(entry.path) is compressed with zip method \(entry.method); only deflate and stored are read")
        }
        let header = try bytes(at: entry.localHeaderOffset, count: 30)
        guard header.count == 30, Self.uint32(header, 0) == 0x0403_4B50 else {
            throw .damaged("\(entry.path) has no local header where the directory says")
        }
        let start = entry.localHeaderOffset + 30 + UInt64(Self.uint16(header, 26)) + UInt64(Self.uint16(header, 28))
        guard start <= fileSize, entry.compressedSize <= fileSize - start else {
            throw .damaged("\(entry.path)'s data runs past the end of the file (a truncated copy?)")
        }
        return start..<start + entry.compressedSize
    }

    // MARK: The central directory

    private static func readDirectory(_ descriptor: Int32, fileSize: UInt64) throws(Failure) -> [Entry] {
        // The end record is 22 bytes and a comment of up to 65,535.
        let tailStart = fileSize - min(fileSize, 22 + 0xFFFF)
        let tail = try bytes(descriptor, at: tailStart, count: Int(fileSize - tailStart))
        guard let end = lastEndRecord(in: tail) else { throw .noDirectory }
        var count = UInt64(uint16(tail, end + 10))
        var size = UInt64(uint32(tail, end + 12))
        var offset = UInt64(uint32(tail, end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            (count, size, offset) = try zip64End(descriptor, tail: tail, end: end)
        }
        guard size <= UInt64(maxDirectoryBytes) else {
            throw .damaged("its central directory is larger than \(maxDirectoryBytes >> 20) MiB: not a workbook")
        }
        guard offset <= fileSize, size <= fileSize - offset else {
            throw .damaged("its central directory lies past the end of the file (a truncated copy?)")
        }
        let directory = try bytes(descriptor, at: offset, count: Int(size))
        var entries: [Entry] = []
        var position = 0
        while UInt64(entries.count) < count {
            let (entry, next) = try centralHeader(directory, at: position)
            entries.append(entry)
            position = next
        }
        return entries.filter { !$0.isDirectory }
    }

    /// The position of the end of central directory record, searched from the end.
    private static func lastEndRecord(in tail: [UInt8]) -> Int? {
        guard tail.count >= 22 else { return nil }
        var position = tail.count - 22
        while position >= 0 {
            if tail[position] == 0x50, uint32(tail, position) == 0x0605_4B50 { return position }
            position -= 1
        }
        return nil
    }

    /// Entry count, directory size and offset from the zip64 end record, which the zip64 locator
    /// just before the classic end record points at.
    private static func zip64End(
        _ descriptor: Int32, tail: [UInt8], end: Int
    ) throws(Failure) -> (UInt64, UInt64, UInt64) {
        let locator = end - 20
        guard locator >= 0, uint32(tail, locator) == 0x0706_4B50 else {
            throw .damaged("its zip64 directory locator is missing")
        }
        let record = try bytes(descriptor, at: uint64(tail, locator + 8), count: 56)
        guard record.count == 56, uint32(record, 0) == 0x0606_4B50 else {
            throw .damaged("its zip64 directory record is missing")
        }
        return (uint64(record, 32), uint64(record, 40), uint64(record, 48))
    }

    /// The central directory header at `position`, and where the next one starts.
    private static func centralHeader(_ directory: [UInt8], at position: Int) throws(Failure) -> (Entry, Int) {
        guard position + 46 <= directory.count, uint32(directory, position) == 0x0201_4B50 else {
            throw .damaged("its central directory is damaged")
        }
        let nameLength = Int(uint16(directory, position + 28))
        let extraLength = Int(uint16(directory, position + 30))
        let commentLength = Int(uint16(directory, position + 32))
        let next = position + 46 + nameLength + extraLength + commentLength
        guard next <= directory.count else { throw .damaged("its central directory is damaged") }
        let name = directory[position + 46..<position + 46 + nameLength]
        var uncompressed = UInt64(uint32(directory, position + 24))
        var compressed = UInt64(uint32(directory, position + 20))
        var offset = UInt64(uint32(directory, position + 42))
        // Zip64 sizes and offset, in that order, each present only when its 32-bit field is all ones.
        var extra = position + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = uint16(directory, extra)
            let length = Int(uint16(directory, extra + 2))
            var field = extra + 4
            let fieldEnd = min(field + length, extraEnd)
            if id == 0x0001 {
                if uncompressed == 0xFFFF_FFFF, field + 8 <= fieldEnd {
                    uncompressed = uint64(directory, field)
                    field += 8
                }
                if compressed == 0xFFFF_FFFF, field + 8 <= fieldEnd {
                    compressed = uint64(directory, field)
                    field += 8
                }
                if offset == 0xFFFF_FFFF, field + 8 <= fieldEnd { offset = uint64(directory, field) }
            }
            extra += 4 + length
        }
        let entry = Entry(
            path: String(decoding: name, as: UTF8.self), method: uint16(directory, position + 10),
            flags: uint16(directory, position + 8), checksum: uint32(directory, position + 16),
            compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: offset)
        return (entry, next)
    }

    // MARK: Bytes

    private static func read(
        _ descriptor: Int32, at offset: UInt64, into buffer: UnsafeMutableRawPointer, count: Int
    ) throws(Failure) -> Int {
        guard offset <= UInt64(Int64.max) - UInt64(count) else { return 0 }
        var done = 0
        while done < count {
            let got = pread(descriptor, buffer + done, count - done, off_t(offset) + off_t(done))
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(errno)
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    private static func bytes(_ descriptor: Int32, at offset: UInt64, count: Int) throws(Failure) -> [UInt8] {
        var failure: Failure?
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            do throws(Failure) {
                initialized = try read(descriptor, at: offset, into: base, count: count)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return result
    }

    private static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(uint16(bytes, at)) | UInt32(uint16(bytes, at + 2)) << 16
    }

    private static func uint64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(uint32(bytes, at)) | UInt64(uint32(bytes, at + 4)) << 32
    }
}
