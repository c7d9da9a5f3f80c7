import Foundation
import Testing

@testable import Extract

@Suite struct BoundedQueueTests {
    /// Runs `body` on a thread of its own; the returned function waits for it.
    func spawn(_ body: @escaping @Sendable () -> Void) -> () -> Void {
        let done = DispatchSemaphore(value: 0)
        Thread {
            body(); done.signal()
        }.start()
        return { done.wait() }
    }

    @Test func everyElementArrivesInOrderAndTheProducerStaysWithinTheDepth() {
        let queue = BoundedQueue<Int, String?>(depth: 3)
        let sent = Counter()
        let wait = spawn {
            for value in 0..<1_000 {
                #expect(queue.send(value))
                sent.add()
            }
            queue.finish("done")
        }
        var received: [Int] = []
        while let value = queue.receive() {
            // The producer can be at most the queue's depth (plus the one it is sending) ahead.
            #expect(sent.value - received.count <= 4)
            received.append(value)
        }
        wait()
        #expect(received == Array(0..<1_000))
        #expect(queue.ending == "done")
    }

    @Test func elementsQueuedBeforeTheEndAreStillReceived() {
        let queue = BoundedQueue<Int, Int>(depth: 4)
        #expect(queue.send(1) && queue.send(2))
        queue.finish(7)
        queue.finish(8)  // only the first ending counts
        #expect(queue.receive() == 1)
        #expect(queue.receive() == 2)
        #expect(queue.receive() == nil)
        #expect(queue.ending == 7)
    }

    @Test func closingStopsAProducerThatNeverEnds() {
        let queue = BoundedQueue<Int, String>(depth: 2)
        let wait = spawn {
            var value = 0
            while queue.send(value) { value += 1 }
            queue.finish("stopped after \(value)")
        }
        #expect(queue.receive() == 0)
        let ending = queue.closeAndWait()
        wait()
        #expect(ending.hasPrefix("stopped after "))
        #expect(queue.receive() == nil)
        #expect(queue.send(99) == false)
    }

    @Test func receiveAllTakesWhatIsQueuedWithoutWaiting() {
        let queue = BoundedQueue<Int, Never>(depth: .max)
        #expect(queue.receiveAll().isEmpty)
        for value in 0..<5 { #expect(queue.send(value)) }
        #expect(queue.receiveAll() == [0, 1, 2, 3, 4])
        #expect(queue.receiveAll().isEmpty)
    }
}

/// A count shared between two threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
