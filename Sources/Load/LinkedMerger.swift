import Extract
import Foundation
import Transform

/// The pending pass's merge step on two threads: the store thread reads each customer and its
/// linked records' stored form, and writes the result back; a thread of its own decodes the
/// records and merges them by survivorship in between (about a third of the step, and the other
/// core was idle during the pass). Customers go through in batches, and come back in the order
/// they were sent; each customer is read and written once, so a customer read ahead of one not
/// yet written is another's.
final class LinkedMerger: @unchecked Sendable {
    /// A customer and the stored form of the records linked to it, in the order they were linked.
    struct Job {
        var row: Int64
        var key: [UInt8]
        var customer: StoredCustomer.Row
        var records: [(encoded: String, system: String, sourceID: String)]
    }

    /// A job merged: its records decoded, or why one could not be.
    struct Done {
        var row: Int64
        var key: [UInt8]
        var merged: Result<(records: [CanonicalRecord], customer: MergedCustomer), any Error>
    }

    /// Customers a batch: enough to pay for the hand-over, few enough to keep both threads busy.
    private static let batchSize = 64
    /// Batches sent and not yet written back, at most.
    private static let inFlight = 2

    /// A batch of jobs, and batches written back since the last one (`recycle`).
    private typealias Handover = (jobs: [Job], spent: [[Done]])

    private let jobs = BoundedQueue<Handover, Void>(depth: LinkedMerger.inFlight)
    private let results = BoundedQueue<[Done], Void>(depth: .max)
    private var filling: [Job] = []
    private var spent: [[Done]] = []
    private var sent = 0
    private var join: () -> Void = {}

    /// `decode`: a record's stored form read back, or the error that says it is damaged.
    init(batch: BatchInfo, decode: @escaping @Sendable (String, String, String) throws -> CanonicalRecord) {
        let jobs = jobs
        let results = results
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            while var handover = jobs.receive() {
                handover.spent = []
                _ = results.send(handover.jobs.map { Self.run($0, batch: batch, decode: decode) })
            }
            results.finish(())
            done.signal()
        }
        thread.name = "crmbridge.merge"
        thread.start()
        join = { done.wait() }
    }

    deinit { close() }

    /// Adds a customer to merge; returns the batches merged meanwhile, in order, to write.
    func submit(_ job: Job) -> [[Done]] {
        filling.append(job)
        guard filling.count == Self.batchSize else { return [] }
        dispatch()
        return collect(whileMoreThan: Self.inFlight - 1)
    }

    /// Takes batches the store thread has written: they are freed on the merging thread, which
    /// made them, with the next batch of jobs.
    func recycle(_ batches: [[Done]]) { spent.append(contentsOf: batches) }

    /// The rest of the jobs, merged, in order; after it the merger takes no more.
    func finish() -> [[Done]] {
        if !filling.isEmpty { dispatch() }
        defer { close() }
        return collect(whileMoreThan: 0)
    }

    /// Stops the thread (jobs not merged are dropped) and waits for it.
    func close() {
        jobs.finish(())
        join()
        join = {}
    }

    /// Sends the batch being filled to the merging thread.
    private func dispatch() {
        _ = jobs.send((filling, spent))
        filling = []
        spent = []
        sent += 1
    }

    /// The merged batches, in order, waiting while more than `limit` are out: the store thread
    /// has work to write while the thread merges the rest.
    private func collect(whileMoreThan limit: Int) -> [[Done]] {
        var done: [[Done]] = []
        while sent > limit, let next = results.receive() {
            sent -= 1
            done.append(next)
        }
        return done
    }

    private static func run(
        _ job: Job, batch: BatchInfo, decode: (String, String, String) throws -> CanonicalRecord
    ) -> Done {
        do {
            let records = try job.records.map { try decode($0.encoded, $0.system, $0.sourceID) }
            return Done(
                row: job.row, key: job.key,
                merged: .success((records, MergedCustomer(StoredCustomer(job.customer), merging: records, batch: batch))))
        } catch {
            return Done(row: job.row, key: job.key, merged: .failure(error))
        }
    }
}
