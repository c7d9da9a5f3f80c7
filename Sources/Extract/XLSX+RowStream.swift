import Foundation

/// The rows of a worksheet, parsed on a thread of their own and handed over in raw batches
/// through a bounded queue. The scanner calls back with the sheet's elements until it ends;
/// `RecordReader` pulls one record at a time: the thread bridges the two, and the bound keeps
/// memory to a few batches however large the sheet.
final class XLSXRowStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [XLSXRawRows] = []
    private var ended = false
    private var failure: ExtractError?
    private var cancelled = false
    private var running = true

    static let depth = 8

    /// Starts `produce` on a new thread; it sends rows, then finishes the stream.
    init(_ produce: @escaping @Sendable (XLSXRowStream) -> Void) {
        let thread = Thread { [self] in
            produce(self)
            condition.lock()
            running = false
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "crmbridge.xlsx"
        thread.start()
    }

    // MARK: - Producer

    /// Adds a batch; false when the reader has gone away and parsing should stop.
    func send(_ batch: XLSXRawRows) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.depth && !cancelled { condition.wait() }
        if cancelled { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// No more rows; `error` when the sheet could not be read to its end.
    func finish(_ error: ExtractError? = nil) {
        condition.lock()
        ended = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Consumer

    /// The next batch; nil at the end. The producer's error comes after every row before it.
    func receive() throws(ExtractError) -> XLSXRawRows? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !ended { condition.wait() }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure {
            self.failure = nil
            throw failure
        }
        return nil
    }

    /// Stops the producer and waits until its thread has let go of the archive and the parser.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}
