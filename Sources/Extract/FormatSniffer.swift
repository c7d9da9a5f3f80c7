import Glibc

/// A file's format as its first bytes show it, whatever its name says: exports arrive as
/// `export.txt`, `data.xls` that is really CSV, or JSON named `.json` that is one object per line.
package enum SniffedFormat: String, Sendable, Equatable {
    /// An .xlsx workbook (a zip archive).
    case xlsx
    /// A JSON array of objects.
    case json
    /// One JSON object per line.
    case jsonl
    case xml
    /// Delimited text (CSV, semicolon- or tab-separated).
    case csv
}

/// Why a file's format cannot be read by any reader.
package struct UnsupportedFormat: Error, Sendable {
    package var message: String
}

/// Reads the first bytes of `path` and says which reader can read it.
///
/// ```swift
/// try sniffFormat(path: "exports/客户.xls")   // .csv when the "xls" is comma-separated text
/// ```
package func sniffFormat(path: String) throws(ExtractError) -> SniffedFormat {
    let head = try readHead(path, bytes: 64 * 1024)
    switch sniffFormat(head: head) {
    case .success(let format): return format
    case .failure(let problem): throw ExtractError(.unsupported, file: path, problem.message)
    }
}

/// The format of a file that starts with `head`.
package func sniffFormat(head: [UInt8]) -> Result<SniffedFormat, UnsupportedFormat> {
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
        // Word and PowerPoint files are zip archives too: an Excel workbook names its parts xl/….
        let text = String(decoding: head, as: UTF8.self)
        if text.contains("xl/") || text.contains("[Content_Types].xml") { return .success(.xlsx) }
        return .failure(UnsupportedFormat(message: "a zip archive that is not an Excel workbook (no xl/ parts)"))
    }
    if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
        return .failure(
            UnsupportedFormat(
                message: """
                    an old binary Excel file (.xls): crmbridge reads .xlsx; open it in Excel or WPS and save it as .xlsx
                    """))
    }
    var bytes = head[...]
    var step = 1
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
        bytes = bytes.dropFirst(3)
    } else if bytes.starts(with: [0xFF, 0xFE]) {
        bytes = bytes.dropFirst(2)
        step = 2
    } else if bytes.starts(with: [0xFE, 0xFF]) {
        bytes = bytes.dropFirst(3)  // big-endian: the ASCII byte is the second of each pair
        step = 2
    }
    // UTF-16: the ASCII characters that tell formats apart are every other byte.
    let characters = stride(from: bytes.startIndex, to: bytes.endIndex, by: step).map { bytes[$0] }
    guard let first = characters.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
        return .success(.csv)
    }
    switch first {
    case UInt8(ascii: "<"): return .success(.xml)
    case UInt8(ascii: "["): return .success(.json)
    case UInt8(ascii: "{"): return .success(.jsonl)
    default: return .success(.csv)
    }
}

/// Up to `bytes` first bytes of the file.
func readHead(_ path: String, bytes limit: Int) throws(ExtractError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ExtractError(.cannotOpen, file: path, "cannot open: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    // Zeroed up front: sized to the file, not to `limit` (4 MiB for an XML layout).
    var head = [UInt8](repeating: 0, count: readChunkSize(fd, upTo: limit))
    var filled = 0
    while filled < head.count {
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else {
            throw ExtractError(.cannotRead, file: path, "read failed: \(String(cString: strerror(errno)))")
        }
        if count == 0 { break }
        filled += count
    }
    return Array(head.prefix(filled))
}
