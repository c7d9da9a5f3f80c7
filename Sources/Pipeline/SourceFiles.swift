import Crypto
import Foundation
import Glibc

/// The files a source's `path` glob names, in a stable (byte-wise name) order.
func expandGlob(_ pattern: String, relativeTo directory: String) -> [String] {
    let absolute = pattern.hasPrefix("/") ? pattern : directory + "/" + pattern
    var result = glob_t()
    defer { globfree(&result) }
    guard glob(absolute, 0, nil, &result) == 0 else { return [] }
    var paths: [String] = []
    for index in 0..<Int(result.gl_pathc) {
        if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
    }
    return paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

/// SHA-256 (hex) and size of a file, read in chunks.
func checksum(of path: String) throws -> (sha256: String, bytes: Int64) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    var bytes: Int64 = 0
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        hasher.update(data: chunk)
        bytes += Int64(chunk.count)
    }
    let digest = hasher.finalize().map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
    return (digest, bytes)
}
