#if canImport(Glibc)
import Glibc
#endif

/// Hands memory the batch has freed back to the system. crmbridge runs on jemalloc
/// (Package.swift), which by default keeps freed pages about ten seconds before it returns
/// them. Does nothing under another allocator (the tests).
package enum FreedMemory {
    private typealias Control =
        @convention(c) (
            UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?, Int
        ) -> Int32

    /// jemalloc's `mallctl`, found at run time: only the executable links jemalloc.
    private static let control: Control? = dlsym(nil, "mallctl").map { unsafeBitCast($0, to: Control.self) }

    /// Now: a table let go before the pending pass would still count in the pass's peak.
    package static func release() {
        // 4096 is MALLCTL_ARENAS_ALL: every arena, every thread's.
        _ = control?("arena.4096.purge", nil, nil, nil, 0)
    }
}
