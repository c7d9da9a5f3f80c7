import Foundation

/// The rows of a worksheet, parsed on a thread of their own and handed over in raw batches
/// through a bounded queue. The scanner calls back with the sheet's elements until it ends;
/// `RecordReader` pulls one record at a time: the thread bridges the two, and the bound keeps
/// memory to a few batches however large the sheet.
final class XLSXRowStream: @unchecked Sendable {
    private let queue = BoundedQueue<XLSXRawRows, ExtractError?>(depth: 8)
    /// The consumer's side only: the producer's error was thrown once.
    private var reported = false

    /// Starts `produce` on a new thread; it sends rows, then finishes the stream (a producer
    /// that stops without saying how ends it cleanly).
    init(_ produce: @escaping @Sendable (XLSXRowStream) -> Void) {
        let thread = Thread { [self] in
            produce(self)
            queue.finish(nil)
        }
        thread.name = "crmbridge.xlsx"
        thread.start()
    }

    // MARK: - Producer

    /// Adds a batch; false when the reader has gone away and parsing should stop.
    func send(_ batch: XLSXRawRows) -> Bool { queue.send(batch) }

    /// No more rows; `error` when the sheet could not be read to its end.
    func finish(_ error: ExtractError? = nil) { queue.finish(error) }

    // MARK: - Consumer

    /// The next batch; nil at the end. The producer's error comes after every row before it.
    func receive() throws(ExtractError) -> XLSXRawRows? {
        if let batch = queue.receive() { return batch }
        if !reported, let failure = queue.ending ?? nil {
            reported = true
            throw failure
        }
        return nil
    }

    /// Stops the producer and waits until its thread has let go of the archive and the parser.
    func cancel() { _ = queue.closeAndWait() }
}
