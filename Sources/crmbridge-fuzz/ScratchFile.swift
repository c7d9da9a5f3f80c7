import Glibc

/// The one file a process writes each input to, for the readers, which take paths: in
/// /dev/shm (memory, not the disk) when there is one, else in TMPDIR. Removed at exit; a crash
/// can leave it behind, one small file per crashed process.
enum ScratchFile {
    static let path: String = {
        var folder = "/dev/shm"
        if access(folder, W_OK) != 0 {
            folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        }
        let path = "\(folder)/crmbridge-fuzz-\(getpid())"
        pathForCleanup = strdup(path)
        atexit { if let path = ScratchFile.pathForCleanup { unlink(path) } }
        return path
    }()

    nonisolated(unsafe) private static var pathForCleanup: UnsafeMutablePointer<CChar>?

    /// Writes `bytes` as the whole file and returns its path.
    static func write(_ bytes: UnsafeRawBufferPointer) -> String {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        require(fd >= 0, "cannot create \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            require(written > 0, "cannot write \(path): \(String(cString: strerror(errno)))")
            offset += written
        }
        return path
    }

    static func write(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { write($0) }
    }
}
