import Foundation
import Testing

@testable import Pipeline

/// The runner's hand-over between its reading thread and the store's: every item in order, and
/// a store error midway stops the reader instead of leaving it blocked.
@Suite struct ChannelTests {
    /// Sends 0..<1,001 from a thread of its own and receives every chunk (of at most 4), handing
    /// each back; what arrived, in order.
    private func sendAndReceive(_ channel: Channel<Int>) -> [Int] {
        let wait = Channel<Int>.spawn {
            for value in 0..<1_001 where !channel.send(value) { return }
            channel.finish()
        }
        var received: [Int] = []
        var consumed: [Int]?
        while let chunk = channel.receive(handingBack: &consumed) {
            #expect(chunk.count <= 4)
            received += chunk
            consumed = chunk
        }
        wait()
        return received
    }

    /// Sends 0, 1, 2… until `send` refuses, cancels after receiving the first chunk, and waits
    /// for the sender; where it stopped.
    private func sendUntilCancelledAfterTheFirstChunk(_ channel: Channel<Int>) -> Int {
        let stoppedAt = LockedValue(-1)
        let wait = Channel<Int>.spawn {
            var value = 0
            while channel.send(value) { value += 1 }
            stoppedAt.set(value)
        }
        var consumed: [Int]?
        #expect(channel.receive(handingBack: &consumed) == [0, 1, 2, 3])
        channel.cancel()
        wait()  // returns: the reader saw `send` refuse
        return stoppedAt.get()
    }

    @Test func everyItemArrivesInOrderInChunks() {
        let channel = Channel<Int>(chunkSize: 4, depth: 2)
        #expect(sendAndReceive(channel) == Array(0..<1_001))
        #expect(channel.error == nil)
    }

    /// A file behind the one merging reads on nicer threads: its reader and its workers; the
    /// thread that spawns them keeps its own niceness.
    @Test func threadsSpawnedNicerAreNicerAndOnlyThey() {
        @Sendable func niceness() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
        let before = niceness()
        let reader = LockedValue<Int32>(-100)
        Channel<Int>.spawn(niceness: before + 5) { reader.set(niceness()) }()
        let worker = LockedValue<Int32>(-100)
        let channel = Channel<Int>(chunkSize: 1, depth: 1, workers: 1, niceness: before + 5) { _ in worker.set(niceness()) }
        _ = channel.send(1)
        channel.finish()
        var consumed: [Int]?
        while let chunk = channel.receive(handingBack: &consumed) { consumed = chunk }
        channel.waitForWorkers()
        #expect(reader.get() == before + 5)
        #expect(worker.get() == before + 5)
        #expect(niceness() == before)
    }

    @Test func cancellingStopsTheReader() {
        let channel = Channel<Int>(chunkSize: 4, depth: 2)
        let stoppedAt = sendUntilCancelledAfterTheFirstChunk(channel)
        #expect(stoppedAt >= 4)
    }

    /// Without workers the items come as sent; with them, as they prepared them (plus one).
    @Test(arguments: [0, 2])
    func theReadersErrorComesAfterItsItems(workers: Int) {
        struct Broken: Error {}
        let channel = Channel<Int>(chunkSize: 4, depth: 2, workers: workers) { items in
            for index in items.indices { items[index] += 1 }
        }
        let wait = Channel<Int>.spawn {
            for value in 0..<6 { _ = channel.send(value) }
            channel.finish(Broken())
        }
        var received: [Int] = []
        var consumed: [Int]?
        while let chunk = channel.receive(handingBack: &consumed) { received += chunk }
        wait()
        channel.waitForWorkers()
        #expect(received == (workers > 0 ? Array(1..<7) : Array(0..<6)))
        #expect(channel.error is Broken)
    }

    // MARK: - Workers

    /// Workers that take uneven time per chunk still hand the chunks over in the order sent.
    @Test(arguments: [1, 2, 4])
    func workersPrepareEveryChunkAndTheConsumerGetsThemInOrder(workers: Int) {
        let channel = Channel<Int>(chunkSize: 4, depth: 2, workers: workers) { items in
            if items.first! % 12 == 0 { usleep(200) }  // a slow chunk now and then
            for index in items.indices { items[index] *= 10 }
        }
        let received = sendAndReceive(channel)
        channel.waitForWorkers()
        #expect(received == (0..<1_001).map { $0 * 10 })
        #expect(channel.error == nil)
    }

    @Test func cancellingStopsTheReaderAndTheWorkers() {
        let prepared = LockedValue(0)
        let channel = Channel<Int>(chunkSize: 4, depth: 2, workers: 3) { items in
            usleep(100)
            prepared.set(prepared.get() + items.count)
        }
        let stoppedAt = sendUntilCancelledAfterTheFirstChunk(channel)
        channel.waitForWorkers()  // returns: the workers saw the work end
        #expect(stoppedAt >= 4)
        // Bounded: no more chunks than the depth and the workers were ever sent (and one being filled).
        #expect(stoppedAt <= 4 * (2 + 3 + 2))
    }
}

final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ new: Value) { lock.withLock { value = new } }
}
