import Foundation

/// glibc's malloc tuning, for the bound on a run's memory (peak RSS under 200 MB whatever the
/// number of rows). Records are made on the reading thread and freed on the store's, and glibc
/// kept what was freed in the reader's own arena: 140 MB of it at a million rows, growing with
/// the input. `mallopt` is not exported by Swift's Glibc module: it is looked up by name.
enum Malloc {
    /// One arena for every thread, so that what the store's thread frees is reused by the reader.
    /// Call before the threads start.
    static func useOneArena() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8   // M_ARENA_MAX in malloc.h
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 1)
    }
}
