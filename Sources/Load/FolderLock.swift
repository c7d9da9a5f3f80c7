import Foundation

/// An exclusive `flock` on a store's folder, held while a run creates the store: two first
/// runs must not both build it. The folder, not a lock file beside the store, so that a lock
/// never has to be removed (removing one that another run waits on would let a third in).
/// The kernel releases it when the process dies.
enum FolderLock {
    /// Runs `body` holding the lock on the folder of `storePath`, waiting up to `timeout` seconds.
    static func withLock<T>(forStoreAt storePath: String, timeout: TimeInterval, _ body: () throws -> T) throws -> T {
        let folder = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.cannotOpen, "cannot open the folder \(folder) of the store: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }   // closing releases the lock
        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            if error == EINTR { continue }
            guard error == EWOULDBLOCK else {
                throw StoreError(.cannotOpen, "cannot lock the folder \(folder) of the store: \(String(cString: strerror(error)))")
            }
            guard Date() < deadline else {
                throw StoreError(.busy, """
                    another crmbridge run is creating the store \(storePath) (waited \(Int(timeout)) s): \
                    try again when it has finished, or raise --wait
                    """)
            }
            usleep(50_000)
        }
        return try body()
    }
}
