import Foundation

/// A bounded queue between one producer thread and one consumer: the producer waits while
/// `depth` elements wait, the consumer while none do, so that memory stays at a few elements
/// however long the stream. The producer ends the stream with how it ended; the consumer may
/// close it early, which the producer's next `send` reports.
///
/// The one hand-over between threads: the xlsx inflater and row scanner, and the runner's
/// reading and store threads, are built on it.
///
/// ```swift
/// let queue = BoundedQueue<[UInt8], ExtractError?>(depth: 4)
/// // producer thread:
/// for chunk in chunks where !queue.send(chunk) { break }   // closed: stop early
/// queue.finish(nil)
/// // consumer thread:
/// while let chunk = queue.receive() { use(chunk) }
/// if let error = queue.ending ?? nil { throw error }
/// ```
package final class BoundedQueue<Element, Ending>: @unchecked Sendable {
    private let condition = NSCondition()
    private var elements: [Element] = []
    private var ended: Ending?
    private var closed = false
    private let depth: Int

    package init(depth: Int) {
        precondition(depth > 0, "a queue holds at least one element")
        self.depth = depth
    }

    /// Producer: queues `element`, waiting while the queue is full; false once the consumer has
    /// closed it (the element is dropped).
    package func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while elements.count >= depth && !closed { condition.wait() }
        if closed { return false }
        elements.append(element)
        condition.broadcast()
        return true
    }

    /// Producer: nothing more comes, and how it ended; elements already queued are still
    /// received. Only the first call counts.
    package func finish(_ ending: Ending) {
        condition.lock()
        if ended == nil { ended = ending }
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next element, waiting for one; nil once the producer has finished and every
    /// element was received, or the queue was closed.
    package func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while elements.isEmpty && ended == nil && !closed { condition.wait() }
        guard !elements.isEmpty else { return nil }
        condition.broadcast()
        return elements.removeFirst()
    }

    /// Consumer: as `receive`, but waits no later than `deadline`: `.some(nil)` is `receive`'s
    /// nil, and nil says that nothing came in time.
    package func receive(waitingUntil deadline: Date) -> Element?? {
        condition.lock()
        defer { condition.unlock() }
        while elements.isEmpty && ended == nil && !closed {
            guard condition.wait(until: deadline) else { break }
        }
        guard !elements.isEmpty else { return ended != nil || closed ? .some(nil) : nil }
        condition.broadcast()
        return elements.removeFirst()
    }

    /// Without waiting: every element queued now (for a hand-back queue the producer empties).
    package func receiveAll() -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        var all: [Element] = []
        swap(&all, &elements)
        condition.broadcast()
        return all
    }

    /// How the producer ended; nil while it goes on.
    package var ending: Ending? {
        condition.lock()
        defer { condition.unlock() }
        return ended
    }

    /// Consumer: stops the producer and drops what is queued.
    package func close() {
        condition.lock()
        closed = true
        elements.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: closes the queue and waits until the producer has finished (it has let go of
    /// what it was reading); returns how it ended.
    package func closeAndWait() -> Ending {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        elements.removeAll()
        condition.broadcast()
        while ended == nil { condition.wait() }
        return ended!
    }
}
