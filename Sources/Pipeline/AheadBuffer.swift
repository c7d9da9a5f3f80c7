import Foundation

/// The chunks of a file read ahead while the store thread merges the file before it: a thread
/// of its own takes them from the file's channel into this buffer, so that the file's reading
/// thread goes on meanwhile on the other core. A re-run is bound by its reading threads, one
/// file after another, while the store thread mostly waits.
///
/// Small items (rows found unchanged, their source row dropped: about 130 bytes each; rejected
/// rows) are bounded by count, the others by a chunk, beside the channel's own: most of a
/// nightly run's next file is read meanwhile, one with many changed rows only a few chunks
/// ahead, as before.
final class AheadBuffer: @unchecked Sendable {
    /// About 10 MB of small items.
    static let maxSmall = 65_536
    static let maxLarge = 512

    private let condition = NSCondition()
    private var chunks: [(items: [Item], small: Int)] = []
    private var first = 0
    private var small = 0
    private var large = 0
    private var ended = false
    private var cancelled = false
    /// Chunks the store thread is done with, freed on the draining thread.
    private var consumed: [[Item]] = []
    private var join: () -> Void = {}

    init(draining channel: Channel<Item>) {
        join = Channel<Item>.spawn { self.drain(channel) }
    }

    /// The store thread: the next chunk, waiting for one; nil once the file is read to its end
    /// (or cancelled). `done`: the chunk received before.
    func next(handingBack done: inout [Item]?) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        if let done { consumed.append(done) }
        done = nil
        while first == chunks.count && !ended && !cancelled { condition.wait() }
        guard first < chunks.count else { return nil }
        let chunk = chunks[first]
        chunks[first].items = []
        first += 1
        if first == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            first = 0
        }
        small -= chunk.small
        large -= chunk.items.count - chunk.small
        condition.broadcast()
        return chunk.items
    }

    /// Stops the draining thread (cancel the channel too: it may wait for a chunk).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the draining thread to end.
    func finish() {
        join()
        join = {}
    }

    private func drain(_ channel: Channel<Item>) {
        var done: [Item]?
        while let items = channel.receive(handingBack: &done) {
            let smallItems = items.reduce(0) { $0 + ($1.isSmall ? 1 : 0) }
            var freed: [[Item]] = []
            condition.lock()
            // One chunk always fits, however large.
            while first < chunks.count && !cancelled
                && (small + smallItems > Self.maxSmall || large + items.count - smallItems > Self.maxLarge)
            {
                condition.wait()
            }
            if cancelled {
                condition.unlock()
                return
            }
            chunks.append((items, smallItems))
            small += smallItems
            large += items.count - smallItems
            done = consumed.popLast()
            swap(&freed, &consumed)
            condition.broadcast()
            condition.unlock()
            freed = []  // here, outside the lock
        }
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }
}
