import Crypto
import Extract
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

extension PipelineConfig {
    /// The files `source`'s path names; nil, with the issue added to `issues`, when none or too many.
    func files(of source: SourceConfig, collecting issues: inout [ConfigIssue]) -> [String]? {
        switch files(of: source) {
        case .success(let files): return files
        case .failure(let issue):
            issues.append(issue)
            return nil
        }
    }

    /// The files `source`'s path names, or the issue at its `path:` line: none, or too many.
    func files(of source: SourceConfig) -> Result<[String], ConfigIssue> {
        let files = expandGlob(source.path, relativeTo: directory)
        let at = source.fieldLocations["path"] ?? source.location
        if files.isEmpty {
            return .failure(
                ConfigIssue(
                    file: file, line: at.line, column: at.column,
                    message: "'\(source.path)' matches no file (relative to \(directory))"))
        }
        if files.count > source.limits.filesPerSource {
            return .failure(
                ConfigIssue(
                    file: file, line: at.line, column: at.column,
                    message: """
                        '\(source.path)' matches \(files.count) files, more than the \(source.limits.filesPerSource) a source may read: \
                        narrow the glob, or raise limits.files_per_source
                        """))
        }
        return .success(files)
    }
}

/// Refuses a path that is not a readable regular file before anything reads it: a folder, a
/// broken link, or a device or FIFO (`/dev/zero` reads for ever) fails its file with a message,
/// and the batch's other files load.
func checkSourceFile(_ path: String) throws(ExtractError) {
    var status = stat()
    guard stat(path, &status) == 0 else {
        let reason =
            errno == ENOENT && lstat(path, &status) == 0
            ? "it is a symbolic link to a file that does not exist" : String(cString: strerror(errno))
        throw ExtractError(.cannotOpen, file: path, "cannot open: \(reason)")
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG:
        return
    case S_IFDIR:
        throw ExtractError(
            .cannotOpen, file: path,
            """
            is a folder, not a file: make the source's path name files, e.g. exports/*.csv
            """)
    default:
        throw ExtractError(
            .cannotOpen, file: path,
            """
            is not a regular file (a device, FIFO or socket): crmbridge reads export files only
            """)
    }
}

/// SHA-256 (hex) and size of a file, read in chunks.
func checksum(of path: String) throws(ExtractError) -> (sha256: String, bytes: Int64) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ExtractError(.cannotOpen, file: path, "cannot open: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var hasher = SHA256()
    var bytes: Int64 = 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let count = read(fd, buffer.baseAddress, buffer.count)
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else {
            throw ExtractError(.cannotRead, file: path, "read failed: \(String(cString: strerror(errno)))")
        }
        if count == 0 { break }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        bytes += Int64(count)
    }
    let digest = hasher.finalize().map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
    return (digest, bytes)
}
