import Foundation

/// A bounded hand-over of items from one producer thread to one consumer, in chunks, so that
/// reading and normalizing one file overlaps with merging it into the store (2 cores: one each).
/// The consumer hands each chunk back when done with it, and the producer frees it: the
/// producer made its items, and freeing them was a tenth of the consumer's time.
final class Channel<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[Item]] = []
    /// Chunks the consumer is done with, for the producer to free.
    private var done: [[Item]] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    /// Producer side only.
    private var current: [Item] = []
    private let chunkSize: Int
    private let depth: Int

    /// Records in flight are most of a run's memory beside the page cache: with 1,024 a chunk and
    /// 4 waiting a million-row run peaked at 199–219 MB RSS, with 512 and 2 at 157–165 MB.
    init(chunkSize: Int = 512, depth: Int = 2) {
        self.chunkSize = chunkSize
        self.depth = depth
        current.reserveCapacity(chunkSize)
    }

    /// Producer: adds an item; returns false when the consumer has cancelled.
    func send(_ item: Item) -> Bool {
        current.append(item)
        guard current.count >= chunkSize else { return true }
        return flush()
    }

    private func flush() -> Bool {
        var consumed: [[Item]] = []
        condition.lock()
        defer {
            condition.unlock()
            consumed.removeAll()   // freed here, on the producer's thread, outside the lock
        }
        while chunks.count >= depth && !cancelled { condition.wait() }
        swap(&consumed, &done)
        if cancelled { return false }
        chunks.append(current)
        current = []
        current.reserveCapacity(chunkSize)
        condition.broadcast()
        return true
    }

    /// Producer: no more items; `error` when reading stopped early.
    func finish(_ error: (any Error)? = nil) {
        if !current.isEmpty { _ = flush() }
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next chunk, or nil when the producer has finished and all is taken.
    /// `consumed`: the chunk received before, moved back to the producer to free.
    func receive(handingBack consumed: inout [Item]?) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        if let chunk = consumed, !finished {
            consumed = nil
            done.append(chunk)
        }
        while chunks.isEmpty && !finished { condition.wait() }
        guard !chunks.isEmpty else { return nil }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Consumer: stop the producer (it sees `send` return false).
    func cancel() {
        condition.lock()
        cancelled = true
        chunks.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Why the producer stopped early, once `receive` has returned nil.
    var error: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Runs `body` on a new thread and returns a function that waits for it to end.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> () -> Void {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        return { done.wait() }
    }
}

/// Hands a value that is not Sendable to the one thread that will use it from then on.
struct Handover<Value>: @unchecked Sendable {
    let value: Value
}
