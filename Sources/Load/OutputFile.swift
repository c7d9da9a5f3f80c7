import Foundation

/// A file written whole or not at all: bytes go to a hidden temporary file beside `path`, which
/// `commit` renames over it. A full disk, a kill or an error leaves the previous file (or none),
/// never a truncated one that a report job would pick up. Standard output has no such guarantee.
package final class OutputFile {
    /// Where the bytes land: the final path, or "standard output".
    package let path: String
    private let handle: FileHandle
    private let temporary: String?
    private var committed = false

    /// Standard output.
    package init() {
        path = "standard output"
        handle = FileHandle.standardOutput
        temporary = nil
    }

    /// A new file at `path`, replacing it at `commit`. A path that is not a regular file
    /// (`/dev/stdout`, a FIFO) is written in place: renaming over it would replace the device.
    package init(path: String) throws(StoreError) {
        self.path = path
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw StoreError(.failed, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            self.handle = handle
            temporary = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).partial").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw StoreError(
                .failed, "cannot write \(path): \(String(cString: strerror(errno))) (is the folder there and writable?)")
        }
        self.temporary = temporary
        self.handle = handle
    }

    deinit {
        if let temporary, !committed {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    package func write(_ bytes: some Sequence<UInt8>) throws(StoreError) {
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw StoreError(.failed, "cannot write \(path): \(Self.reason(error)); nothing was written")
        }
    }

    /// Makes the file appear at its path, complete.
    package func commit() throws(StoreError) {
        guard let temporary else { return }
        do {
            try handle.synchronize()
            try handle.close()
            if rename(temporary, path) != 0 {
                throw StoreError(.failed, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            committed = true
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "cannot write \(path): \(Self.reason(error)); nothing was written")
        }
    }

    /// The system's words for a write failure (ENOSPC: "No space left on device").
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return nsError.localizedDescription
    }
}
