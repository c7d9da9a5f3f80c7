import Foundation

/// The rows of a worksheet, parsed on a thread of their own and handed over in raw batches
/// through a bounded queue. The scanner calls back with the sheet's elements until it ends;
/// `RecordReader` pulls one record at a time: the thread bridges the two, and the bound keeps
/// memory to a few batches however large the sheet. A small sheet is parsed whole at once, on
/// the reader's thread.
final class XLSXRowStream: @unchecked Sendable {
    private let queue: BoundedQueue<XLSXRawRows, ExtractError?>
    /// The consumer's side only: the producer's error was thrown once.
    private var reported = false

    /// Runs `produce`, which sends rows, then finishes the stream (a producer that stops without
    /// saying how ends it cleanly): on a new thread, or now when `inline`, keeping every batch.
    /// Inline is for a sheet of a chunk (`XLSXInflater.inflatesInline`), whose rows are few:
    /// `checkSheet` holds it to that size before any row is parsed. A thread cost more than
    /// parsing them, and under AddressSanitizer made LeakSanitizer check for leaks after most
    /// of the fuzzers' inputs.
    init(inline: Bool, _ produce: @escaping @Sendable (XLSXRowStream) -> Void) {
        queue = BoundedQueue(depth: inline ? Int.max : 8)
        if inline {
            produce(self)
            queue.finish(nil)
            return
        }
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
