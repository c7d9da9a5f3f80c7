import Foundation

/// An exclusive `flock` on `STORE-lock`, held while a run creates the store, so that two first
/// runs never both build it (and runs into other stores of the same folder do not wait). The
/// holder removes the file when done; a run that was waiting on a removed file locks the new
/// one instead (the inode check). The kernel releases the lock when the process dies.
enum CreationLock {
    /// Runs `body` holding the lock of the store at `storePath`, waiting up to `timeout` seconds.
    static func withLock<T>(forStoreAt storePath: String, timeout: TimeInterval, _ body: () throws -> T) throws -> T {
        let lockPath = storePath + "-lock"
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw StoreError(.cannotOpen, "cannot create \(lockPath): \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }  // closing releases the lock
            try lock(descriptor, lockPath, storePath, deadline: deadline, timeout: timeout)
            var held = stat(), named = stat()
            guard fstat(descriptor, &held) == 0, stat(lockPath, &named) == 0, held.st_ino == named.st_ino else {
                continue  // removed by the run that held it: lock the file there now
            }
            defer { unlink(lockPath) }
            return try body()
        }
    }

    private static func lock(
        _ descriptor: Int32, _ lockPath: String, _ storePath: String, deadline: Date,
        timeout: TimeInterval
    ) throws(StoreError) {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            if error == EINTR { continue }
            guard error == EWOULDBLOCK else {
                throw StoreError(.cannotOpen, "cannot lock \(lockPath): \(String(cString: strerror(error)))")
            }
            guard Date() < deadline else {
                throw StoreError(
                    .busy,
                    """
                    another crmbridge run is creating the store \(storePath) (waited \(Int(timeout)) s): \
                    try again when it has finished, or raise --wait
                    """)
            }
            usleep(50_000)
        }
    }
}
