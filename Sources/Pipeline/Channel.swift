import Extract
import Foundation

/// A bounded hand-over of items from one producer thread to one consumer, in chunks, so that
/// reading and normalizing one file overlaps with merging it into the store.
///
/// With `workers`, each chunk is also passed through `prepare` on one of that many worker
/// threads (normalizing the records the producer read) before the consumer gets it; the
/// consumer still receives the chunks in the order the producer sent them. The chunks in
/// flight, sent and not yet received, are bounded by `depth` either way.
///
/// The consumer hands each chunk back when done with it, and a producer or worker thread frees
/// it: freeing was a tenth of the consumer's time.
final class Channel<Item>: @unchecked Sendable {
    /// A chunk in flight, in the order sent: its items once ready.
    private final class Slot: @unchecked Sendable {
        private let condition = NSCondition()
        private var items: [Item]?

        init(_ items: [Item]?) {
            self.items = items
        }

        func fill(_ items: [Item]) {
            condition.lock()
            self.items = items
            condition.broadcast()
            condition.unlock()
        }

        /// Waits until a worker has filled the slot, or until `deadline` (then nil).
        func take(waitingUntil deadline: Date? = nil) -> [Item]? {
            condition.lock()
            defer { condition.unlock() }
            while items == nil {
                // Foundation traps on a wait until `.distantFuture`.
                guard let deadline else {
                    condition.wait()
                    continue
                }
                guard condition.wait(until: deadline) else { break }
            }
            let taken = items
            items = nil
            return taken
        }
    }

    private let chunks: BoundedQueue<Slot, (any Error)?>
    /// Chunks for the workers to prepare, with the slot each fills; nil without workers.
    private let work: BoundedQueue<(Slot, [Item]), Void>?
    /// Chunks the consumer is done with, to free.
    private let done = BoundedQueue<[Item], Never>(depth: .max)
    /// Waits for the worker threads to end.
    private var joinWorkers: [() -> Void] = []
    /// Consumer side: a chunk whose worker had not finished it when `poll` gave up waiting.
    private var unfinished: Slot?
    /// Producer side only.
    private var current: [Item] = []
    private let chunkSize: Int

    /// Records in flight are most of a run's memory beside the page cache: 512 a chunk and 2
    /// waiting keep a million-row run far under 200 MB (figures: docs/performance.md). With
    /// workers, each may hold one chunk beside them.
    ///
    /// - Parameters:
    ///   - workers: threads that run `prepare` on each chunk; 0: the producer's chunks go to the
    ///     consumer as they are.
    ///   - niceness: the workers' (`spawn`).
    ///   - prepare: what a worker does to a chunk (in place).
    init(
        chunkSize: Int = 512, depth: Int = 2, workers: Int = 0, niceness: Int32 = 0,
        prepare: @escaping @Sendable (inout [Item]) -> Void = { _ in }
    ) {
        self.chunkSize = chunkSize
        chunks = BoundedQueue(depth: depth + max(0, workers))
        current.reserveCapacity(chunkSize)
        guard workers > 0 else {
            work = nil
            return
        }
        let work = BoundedQueue<(Slot, [Item]), Void>(depth: .max)
        self.work = work
        let done = self.done
        joinWorkers = (0..<workers).map { _ in
            Self.spawn(niceness: niceness) {
                while var next = work.receive() {
                    _ = done.receiveAll()
                    prepare(&next.1)  // in place: the chunk has no other owner
                    next.0.fill(next.1)
                }
            }
        }
    }

    /// Producer: adds an item; returns false when the consumer has cancelled.
    func send(_ item: Item) -> Bool {
        current.append(item)
        guard current.count >= chunkSize else { return true }
        return flush()
    }

    private func flush() -> Bool {
        if let work {
            let slot = Slot(nil)
            // The slot is queued first: the consumer takes chunks in the order sent.
            guard chunks.send(slot) else { return false }
            guard work.send((slot, current)) else {
                // Cancelled in between: a consumer still receiving (a file read ahead) must not wait
                // for a chunk no worker will prepare.
                slot.fill([])
                return false
            }
        } else {
            // The chunks the consumer is done with are freed here, on the producer's thread.
            _ = done.receiveAll()
            guard chunks.send(Slot(current)) else { return false }
        }
        current = []
        current.reserveCapacity(chunkSize)
        return true
    }

    /// Producer: no more items; `error` when reading stopped early.
    func finish(_ error: (any Error)? = nil) {
        if !current.isEmpty { _ = flush() }
        chunks.finish(error)
        work?.finish(())
    }

    /// Consumer: the next chunk, or nil when the producer has finished and all is taken.
    /// `consumed`: the chunk received before, moved back to the producer to free.
    func receive(handingBack consumed: inout [Item]?) -> [Item]? {
        if let chunk = consumed {
            consumed = nil
            // Once the producer has finished nobody frees them: let them go here.
            if chunks.ending == nil { _ = done.send(chunk) }
        }
        if let slot = unfinished {
            unfinished = nil
            return slot.take()
        }
        return chunks.receive()?.take()
    }

    /// What `poll` found.
    enum Poll {
        case chunk([Item])
        /// The producer has finished and every chunk was taken.
        case end
        /// No chunk was ready by the deadline.
        case notYet
    }

    /// Consumer: as `receive`, but waits no later than `deadline`: the store thread reads ahead
    /// between two requests for a lock it is waiting for.
    func poll(waitingUntil deadline: Date) -> Poll {
        let next: Slot?? = unfinished.map { .some($0) } ?? chunks.receive(waitingUntil: deadline)
        guard let next else { return .notYet }
        guard let slot = next else { return .end }
        guard let items = slot.take(waitingUntil: deadline) else {
            unfinished = slot
            return .notYet
        }
        unfinished = nil
        return .chunk(items)
    }

    /// Consumer: stop the producer (it sees `send` return false) and the workers.
    func cancel() {
        chunks.close()
        work?.close()
    }

    /// Consumer: waits for the worker threads to end, once the producer has finished or the
    /// consumer cancelled.
    func waitForWorkers() {
        for join in joinWorkers { join() }
        joinWorkers = []
    }

    /// Why the producer stopped early, once `receive` has returned nil.
    var error: (any Error)? { chunks.ending ?? nil }

    /// Runs `body` on a new thread and returns a function that waits for it to end. `niceness`
    /// above 0: the thread's own (Linux keeps one per thread), so that it takes what CPU the
    /// process's other threads leave.
    static func spawn(niceness: Int32 = 0, _ body: @escaping @Sendable () -> Void) -> () -> Void {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            // Best effort: a thread that cannot be made nicer runs as the others do.
            if niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
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
