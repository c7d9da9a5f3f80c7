import Extract
import Foundation

/// A bounded hand-over of items from one producer thread to one consumer, in chunks, so that
/// reading and normalizing one file overlaps with merging it into the store (2 cores: one each).
/// The consumer hands each chunk back when done with it, and the producer frees it: the
/// producer made its items, and freeing them was a tenth of the consumer's time.
final class Channel<Item>: @unchecked Sendable {
    private let chunks: BoundedQueue<[Item], (any Error)?>
    /// Chunks the consumer is done with, for the producer to free.
    private let done = BoundedQueue<[Item], Never>(depth: .max)
    /// Producer side only.
    private var current: [Item] = []
    private let chunkSize: Int

    /// Records in flight are most of a run's memory beside the page cache: 512 a chunk and 2
    /// waiting keep a million-row run far under 200 MB (figures: docs/performance.md).
    init(chunkSize: Int = 512, depth: Int = 2) {
        self.chunkSize = chunkSize
        chunks = BoundedQueue(depth: depth)
        current.reserveCapacity(chunkSize)
    }

    /// Producer: adds an item; returns false when the consumer has cancelled.
    func send(_ item: Item) -> Bool {
        current.append(item)
        guard current.count >= chunkSize else { return true }
        return flush()
    }

    private func flush() -> Bool {
        // The chunks the consumer is done with are freed here, on the producer's thread.
        _ = done.receiveAll()
        guard chunks.send(current) else { return false }
        current = []
        current.reserveCapacity(chunkSize)
        return true
    }

    /// Producer: no more items; `error` when reading stopped early.
    func finish(_ error: (any Error)? = nil) {
        if !current.isEmpty { _ = flush() }
        chunks.finish(error)
    }

    /// Consumer: the next chunk, or nil when the producer has finished and all is taken.
    /// `consumed`: the chunk received before, moved back to the producer to free.
    func receive(handingBack consumed: inout [Item]?) -> [Item]? {
        if let chunk = consumed {
            consumed = nil
            // Once the producer has finished nobody frees them: let them go here.
            if chunks.ending == nil { _ = done.send(chunk) }
        }
        return chunks.receive()
    }

    /// Consumer: stop the producer (it sees `send` return false).
    func cancel() {
        chunks.close()
    }

    /// Why the producer stopped early, once `receive` has returned nil.
    var error: (any Error)? { chunks.ending ?? nil }

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
