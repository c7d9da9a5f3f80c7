import Foundation
import Transform

/// Something that can stream the master customers: the store, or a batch in progress.
package protocol CustomerSource: AnyObject {
    func forEachCustomer(_ body: (CustomerRow) throws -> Void) throws
    /// Counts the customers passing each test, and all of them, in the store (per source system
    /// too when `bySystem`).
    func presence(_ tests: [PresenceTest], bySystem: Bool, byOwner: Bool) throws -> PresenceReport
}

/// The master store: customers, cross-reference, change log, rejects and batches. SQLite is the
/// embedded default (`SQLiteStore`), PostgreSQL the shared one (`PostgresStore`); commands open
/// either through `openStore`.
package protocol MasterStore: CustomerSource {
    /// Where the store is; its `description` (password masked) is what messages name.
    var location: StoreLocation { get }

    /// Runs `body` as one batch: one transaction, committed only when `body` returns. A crash
    /// or a thrown error leaves the store as it was before.
    ///
    /// `whileWaiting` is called over and over while another run holds the store's lock
    /// (PostgreSQL), with the store as the last committed batch left it and a time to return
    /// by, so that the batch reads ahead meanwhile. SQLite waits inside `BEGIN IMMEDIATE` and
    /// never calls it.
    func withBatch<T>(
        _ batch: BatchInfo, whileWaiting: (any CommittedReads, Date) -> Void,
        _ body: (any BatchSession) throws -> T
    ) throws -> T

    /// Streams the rows of an export table, header first, in a stable order.
    func export(_ table: ExportTable, _ row: ([String]) throws -> Void) throws

    /// The history of the customer with this key (64 hex digits); nil when the store has none.
    func history(ofCustomer keyHex: String) throws -> CustomerHistory?
    /// The last `count` batches, oldest first, with their metrics and rejects.
    func recentBatches(_ count: Int) throws -> [StoredBatch]
    /// Rejects per reason code over every batch the store holds (a monotonic counter).
    func rejectCounts() throws -> [String: Int]

    /// The latest remembered scan of this kind, if any.
    func lastScan(kind: String) throws(StoreError) -> RememberedScan?
    /// Remembers a scan's list (customer key → missing fields) and what became of the one before.
    func remember(
        kind: String, scannedAt: String, items: [(key: CustomerKey, missing: [String])],
        followUp: (listed: Int, closed: Int, closedWithin48h: Int)?
    ) throws(StoreError)
    /// When a customer's field first got a value after `since` (change-log time), if it did.
    func firstFilled(key: CustomerKey, columns: [String], since: String) throws(StoreError) -> String?
    /// Every merged source record of `systems`, grouped by customer (ordered by key).
    func forEachMergedRecord(of systems: [String], _ body: (SystemRecord) throws -> Void) throws(StoreError)
    /// Per owner ("" for customers without one): `customers` (customers, complete ones, as
    /// completeness counted them), the latest batch's rejects and the gap lists of the last two scans.
    func ownerCounts(customers: [String: (customers: Int, complete: Int)]) throws(StoreError) -> [OwnerCounts]
    /// The latest remembered gap scan, or nil when none was made.
    func latestGapScan() throws(StoreError) -> GapScanSummary?
    /// The source systems' own numbers of the customers in `keys` (system → ids, sorted), so
    /// that a rep can find each one on a list in the system they work in. `systems` nil: every
    /// system whose records are customers, not contacts.
    func sourceIDs(of keys: Set<CustomerKey>, systems: [String]?) throws(StoreError) -> [CustomerKey: [String: [String]]]
}

extension MasterStore {
    /// A batch that does nothing while it waits for the store's lock.
    package func withBatch<T>(_ batch: BatchInfo, _ body: (any BatchSession) throws -> T) throws -> T {
        try withBatch(batch, whileWaiting: { _, _ in }, body)
    }
}

/// What a batch reads of the store before it merges a file: inside the batch, or as the last
/// committed batch left the store while the batch waits for its lock.
package protocol CommittedReads: AnyObject {
    /// The batch that already loaded a file with this checksum for this system, if any.
    func batchThatLoaded(system: String, sha256: String) throws -> String?
    /// The raw digests of `system`'s rows as the last committed batch left them, for the reading
    /// thread; nil when there are none (a new store or system).
    func rawDigestSnapshot(system: String) throws -> RawDigestSnapshot?
    /// Chunks a file's reading thread may hold ready beyond the one being merged.
    var chunksAhead: Int { get }
}

extension CommittedReads {
    /// Two: the merge keeps pace with reading on SQLite (the store works on the merging thread).
    package var chunksAhead: Int { 2 }
}

/// One master customer as metrics and scans read it.
package struct CustomerRow: Sendable {
    package var key: CustomerKey
    package var phoneE164: String
    package var taxID: String
    /// Values by `MasterColumn.rawValue`.
    package var values: [String?]

    package subscript(column: MasterColumn) -> String? { values[column.rawValue] }
}

/// The writes of one batch.
package protocol BatchSession: CustomerSource, CommittedReads {
    /// Records a file read by this batch, so that the next run recognises it.
    func recordFile(_ file: LoadedFile) throws
    /// The batch this session writes.
    var batch: BatchInfo { get }
    /// Merges a chunk of accepted records, in order: keyed records upsert their customer; the
    /// others wait as pending until `resolvePending`. Stops at an unchanged row whose stored row
    /// this batch has rewritten since (`ChunkMerge.stale`).
    func merge(_ entries: [MergeEntry]) throws -> ChunkMerge
    /// Whether `snapshot` sees the store as this batch found it: no batch has committed since
    /// it was taken. When not (taken while the batch waited for the lock), the rows it found
    /// unchanged are merged with `UnchangedRow.current` false.
    func isCurrent(_ snapshot: RawDigestSnapshot) -> Bool
    /// Stores one rejected record.
    func reject(_ reject: RejectRow) throws
    /// Links every pending record (of this batch and earlier ones) whose mobile or tax ID
    /// names exactly one master customer.
    func resolvePending() throws -> PendingResolution
    /// Stores the batch's health metrics (the `metrics` table, for trends).
    func recordMetrics(_ rows: [MetricRow]) throws
    /// Stores the batch row with its summary (JSON).
    func finish(summary: String) throws
    /// Seconds this batch has spent rebuilding indexes it dropped for a bulk load (inside
    /// `resolvePending`), for the run's timings.
    var indexRebuildSeconds: Double { get }
}

extension BatchSession {
    /// A store that never drops its indexes spends no time rebuilding them.
    package var indexRebuildSeconds: Double { 0 }

    /// Stages and merges `record` on the calling thread.
    package func merge(_ record: CanonicalRecord) throws -> MergeOutcome {
        guard case .merged(let outcomes) = try merge([.staged(StagedRecord(record, batch: batch))]) else {
            preconditionFailure("only an unchanged row can be stale")
        }
        return outcomes[0]
    }
}

/// What merging a chunk did.
package enum ChunkMerge: Sendable, Equatable {
    /// Every entry merged: one outcome each, in order.
    case merged([MergeOutcome])
    /// Merging stopped at entry `at`, a row found unchanged against the last committed batch
    /// whose stored row this batch has rewritten since; `before` holds the outcomes of the
    /// entries before it. The caller normalizes that row and merges it and the rest again.
    case stale(at: Int, before: [MergeOutcome])

    /// The outcomes of the entries merged.
    package var outcomes: [MergeOutcome] {
        switch self {
        case .merged(let outcomes), .stale(_, let outcomes): outcomes
        }
    }
}

/// One accepted row of a chunk.
package enum MergeEntry: Sendable {
    /// Normalized and staged.
    case staged(StagedRecord)
    /// Found unchanged against the last committed batch, and not normalized.
    case unchanged(UnchangedRow)
}

/// A source row whose raw digest equals the one stored for its id.
package struct UnchangedRow: Sendable {
    package let system: String
    package let sourceID: String
    /// `system` and `sourceID` hashed where the row was read.
    let hash: RowHash
    package var rawDigest: Int64
    /// Whether the stored row is pending.
    package var pending: Bool
    /// Whether the snapshot that found the row unchanged is current (`BatchSession.isCurrent`):
    /// when not, the merge reads the stored row again and finds it stale should another batch
    /// have changed it since.
    package var current: Bool

    package init(system: String, sourceID: String, rawDigest: Int64, pending: Bool, current: Bool = true) {
        self.system = system
        self.sourceID = sourceID
        hash = RowHash(system, sourceID)
        self.rawDigest = rawDigest
        self.pending = pending
        self.current = current
    }
}

/// The identity and times of a batch.
package struct BatchInfo: Sendable {
    package var id: String
    package var pipeline: String
    package var startedAt: Date
    /// The batch's load time: `--as-of`, or now.
    package var asOf: Date
    package var survivorship: Survivorship
    /// Formats the batch's timestamps (the pipeline's zone).
    package var timestamps: TimestampParser

    package init(
        id: String, pipeline: String, startedAt: Date, asOf: Date, survivorship: Survivorship,
        timestamps: TimestampParser
    ) {
        self.id = id
        self.pipeline = pipeline
        self.startedAt = startedAt
        self.asOf = asOf
        self.survivorship = survivorship
        self.timestamps = timestamps
    }
}

package struct LoadedFile: Sendable {
    package var system: String
    package var path: String
    package var sha256: String
    package var bytes: Int64
    package var records: Int

    package init(system: String, path: String, sha256: String, bytes: Int64, records: Int) {
        self.system = system
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.records = records
    }
}

/// What merging one record did.
package enum MergeOutcome: Sendable, Equatable {
    /// A new master customer.
    case created
    /// An existing customer; `changes` master fields changed.
    case updated(changes: Int)
    /// The same source record with the same values was loaded before: nothing written.
    case unchanged(pending: Bool)
    /// Valid but not yet linkable: it waits for `resolvePending`.
    case pending
    /// The same source record with the same values already came earlier in this batch.
    case duplicate
}

package struct RejectRow: Sendable {
    package var system: String
    package var file: String
    package var locator: String
    package var reason: RejectReason
    package var message: String
    package var sourceID: String
    /// The record's owner column as written ("" when unmapped or unreadable): rejects per owner.
    package var owner: String

    package init(
        system: String, file: String, locator: String, reason: RejectReason, message: String, sourceID: String,
        owner: String = ""
    ) {
        self.system = system
        self.file = file
        self.locator = locator
        self.reason = reason
        self.message = message
        self.sourceID = sourceID
        self.owner = owner
    }
}

/// What `resolvePending` did, per source system.
package struct PendingResolution: Sendable, Equatable {
    package struct Counts: Sendable, Equatable {
        /// Pending records read by this batch that are now linked.
        package var linkedFromBatch = 0
        /// Pending records of earlier batches that are now linked.
        package var linkedFromEarlier = 0
        /// Records still pending because their value names several customers.
        package var ambiguous = 0
        /// Records still pending because no customer holds their value yet.
        package var unmatched = 0

        package init() {}
    }

    package var bySystem: [String: Counts] = [:]

    package init() {}
}

/// The export tables of the export contract (docs/design.md, docs/exports.md).
package enum ExportTable: String, Sendable, CaseIterable {
    case master, xref, rejects, interactions

    /// The contract's columns, first and in this order; more may follow.
    package var contractColumns: [String] {
        switch self {
        case .master:
            [
                "customer_key", "name", "name_pinyin", "phone_e164", "tax_id", "company", "province", "city", "district",
                "adcode", "address_detail", "owner", "sales_group", "first_touch_channel", "status", "last_contact_at",
                "next_followup_at", "next_followup_plan", "updated_at",
            ]
        case .xref:
            ["source_system", "source_id", "customer_key", "state", "batch_id"]
        case .rejects:
            ["batch_id", "source_system", "source_file", "locator", "reason_code", "reason"]
        case .interactions:
            [
                "source_system", "source_id", "customer_key", "state", "channel", "started_at", "phone_e164", "agent",
                "duration_s", "outcome", "called", "batch_id",
            ]
        }
    }
}
