import Extract
import Foundation
import Load
import Transform

/// A row's raw digest as the store holds it, and whether the row is pending (`RawDigestSnapshot`).
typealias StoredDigest = (rawDigest: Int64, pending: Bool)

/// One record of a file on its way from the reader thread to the store.
enum Item {
    /// `owner`: the record's owner column as written, so that rejects count against an owner.
    case unreadable(UnreadableRecord, sourceID: String, owner: String)
    case rejected(Locator, Rejection, owner: String)
    case accepted(Locator, StagedRecord)
    /// A row the store already holds with the same raw digest, not normalized (see
    /// `RawDigestSnapshot`). The row itself is kept (`record`) should the batch have rewritten
    /// it since; it is dropped where nothing earlier in the batch can have (`Settling`), and the
    /// item is small then: a file read ahead holds many.
    case unchanged(Locator, record: SourceRecord?, UnchangedRow, updatedAt: Date?, owner: String)
    /// A record read and passed by the filter, for a worker thread to check against its stored
    /// row (`stored`, from the snapshot) and normalize when changed (`RunOptions.threads`); the
    /// store thread never sees one.
    case read(SourceRecord, sourceID: String, stored: StoredDigest?, keep: Bool)

    /// An unchanged row without its source row, or a rejected one (its reason and message):
    /// what a file read ahead may hold many of.
    var isSmall: Bool {
        switch self {
        case .unchanged(_, nil, _, _, _), .rejected: true
        default: false
        }
    }

    /// `current`: whether the snapshot that found a row unchanged is current
    /// (`BatchSession.isCurrent`).
    func mergeEntry(current: Bool) -> MergeEntry? {
        switch self {
        case .accepted(_, let staged):
            return .staged(staged)
        case .unchanged(_, _, var row, _, _):
            row.current = current
            return .unchanged(row)
        case .unreadable, .rejected:
            return nil
        case .read:
            preconditionFailure("a record reached the store unnormalized")
        }
    }
}

/// How a batch's source file starts: read on threads of its own, or settled before its first
/// record.
enum FileStart {
    case reading(OpenFile)
    /// Nothing to merge: skipped (loaded before) or failed.
    case settled(RunSummary.FileEntry)
    /// Its columns do not fit the source's mapping (or the source's path names no file).
    case invalid(ConfigIssue)
}

/// What the batch knows of a source file before it opens it.
struct PlannedFile {
    /// The source's place in the pipeline.
    var entry: Int
    var source: SourceConfig
    var path: String
}

/// A source file being read: a reading thread (and the channel's workers) extract, filter and
/// normalize its records into `channel`, ahead of the store thread that merges them. Chunks taken
/// while the batch waited for the store's lock are `held` until it merges them.
final class OpenFile {
    let file: PlannedFile
    let sha256: String
    let bytes: Int64
    let normalizer: RecordNormalizer
    /// The raw digests the reading thread checks rows against, as it was taken.
    let snapshot: RawDigestSnapshot?
    let channel: Channel<Item>
    private var waitForReader: () -> Void
    /// Chunks taken ahead, in order, before those still in `channel`.
    private(set) var held: [[Item]] = []
    /// Whether `channel` has given its last chunk to `held`.
    private(set) var readToEnd = false
    /// The rest of the file read ahead, once `drainAhead` started it.
    private var ahead: AheadBuffer?

    private init(
        file: PlannedFile, sha256: String, bytes: Int64, normalizer: RecordNormalizer, snapshot: RawDigestSnapshot?,
        channel: Channel<Item>, waitForReader: @escaping () -> Void
    ) {
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.normalizer = normalizer
        self.snapshot = snapshot
        self.channel = channel
        self.waitForReader = waitForReader
    }

    /// What `check` found.
    enum Checked {
        case readable(sha256: String, bytes: Int64)
        case unreadable(RunSummary.FileEntry)
    }

    /// The file's checksum, or why it cannot be read.
    static func check(_ file: PlannedFile) -> Checked {
        do {
            try checkSourceFile(file.path)
            let (sha256, bytes) = try checksum(of: file.path)
            return .readable(sha256: sha256, bytes: bytes)
        } catch {
            return .unreadable(failed(file, error.message))
        }
    }

    /// Opens the file and starts reading it, unless `reads` says a batch loaded it already
    /// (`force` reads it again). `dropsUnchangedRows`: nothing merged before this file can have
    /// rewritten its rows (no earlier file of its system, and the snapshot is current), so an
    /// unchanged row's source row is not kept, but for an id the file repeats.
    static func open(
        _ file: PlannedFile, sha256: String, bytes: Int64, in batch: BatchInfo, reads: any CommittedReads,
        dedupeIndex: DedupeIndex, keyer: CustomerKeyer, addresses: AddressParser, pipeline: String,
        options: RunOptions, dropsUnchangedRows: Bool, niceness: Int32 = 0
    ) throws -> FileStart {
        let source = file.source
        let path = file.path
        if !options.force, let earlier = try reads.batchThatLoaded(system: source.system, sha256: sha256) {
            return .settled(.init(system: source.system, path: path, status: "skipped", records: 0, loadedBy: earlier))
        }
        let reader: any RecordReader
        do {
            reader = try makeReader(for: source, path: path)
        } catch {
            return .settled(failed(file, error.message))
        }
        let mapping: FieldMapping
        do {
            mapping = try source.mapping(header: reader.columns, file: path, pipeline: pipeline)
        } catch {
            return .invalid(error)
        }
        var normalizing = RecordNormalizer.Options()
        normalizing.legacyTaxIDForms = source.legacyTaxIDFormsKey
        normalizing.areaCodeResolvesAddress = source.areaCodeResolvesAddress
        normalizing.interactions = source.kind == .interactions
        normalizing.contactChannel = source.contactChannel
        let normalizer = RecordNormalizer(
            system: source.system, mapping: mapping,
            timestamps: batch.timestamps.with(dateOrder: source.dateOrder),
            keyer: keyer, addresses: addresses, options: normalizing)
        let filter: RowFilter?
        do {
            filter = try RowFilter(rules: source.rules, mapping: mapping, dedupeIndex: dedupeIndex)
        } catch {
            return .settled(failed(file, error.message))
        }
        let snapshot = try reads.rawDigestSnapshot(system: source.system)
        let work = Handover(value: (reader, normalizer, filter, snapshot))
        // One normalizing thread: the reading thread itself. More: workers beside it.
        let workers = options.threads > 1 ? options.threads : 0
        let fingerprint = normalizer.fingerprint
        let channel = Channel<Item>(depth: reads.chunksAhead, workers: workers, niceness: niceness) { items in
            for index in items.indices {
                guard case .read(let record, let sourceID, let stored, let keep) = items[index] else { continue }
                items[index] = Self.settle(
                    record, sourceID: sourceID, stored: stored, keep: keep, normalizer: normalizer,
                    fingerprint: fingerprint, batch: batch)
            }
        }
        let normalizeHere = workers == 0
        let waitForReader = Channel<Item>.spawn(niceness: niceness) {
            let (reader, normalizer, filter, snapshot) = work.value
            Self.read(
                reader, path: path, normalizer: normalizer, filter: filter, snapshot: snapshot, batch: batch,
                normalizing: normalizeHere, dropsUnchangedRows: dropsUnchangedRows, into: channel)
        }
        return .reading(
            OpenFile(
                file: file, sha256: sha256, bytes: bytes, normalizer: normalizer, snapshot: snapshot, channel: channel,
                waitForReader: waitForReader))
    }

    private static func failed(_ file: PlannedFile, _ message: String) -> RunSummary.FileEntry {
        .init(system: file.source.system, path: file.path, status: "failed", records: 0, error: message)
    }

    /// Takes a chunk ahead, waiting no later than `deadline`; false when none came by then or
    /// the file is read to its end.
    func readAhead(waitingUntil deadline: Date) -> Bool {
        guard !readToEnd else { return false }
        switch channel.poll(waitingUntil: deadline) {
        case .chunk(let items):
            held.append(items)
            return true
        case .end:
            readToEnd = true
            return false
        case .notYet:
            return false
        }
    }

    /// Reads the rest of the file ahead on a thread of its own, into an `AheadBuffer`, while the
    /// store thread merges the file before it.
    func drainAhead() {
        guard ahead == nil, !readToEnd else { return }
        ahead = AheadBuffer(draining: channel)
    }

    /// The store thread: the next chunk, held ones first; nil once the reading thread has
    /// finished and all is taken. `consumed`: the chunk received before, to free.
    func next(handingBack consumed: inout [Item]?) -> [Item]? {
        guard held.isEmpty else {
            consumed = nil
            return held.removeFirst()
        }
        if let ahead { return ahead.next(handingBack: &consumed) }
        return channel.receive(handingBack: &consumed)
    }

    /// Stops the reading thread and the workers (`finish` waits for them).
    func cancel() {
        held = []
        ahead?.cancel()
        channel.cancel()
    }

    /// Waits for the reading thread and the workers to end.
    func finish() {
        ahead?.finish()
        waitForReader()
        waitForReader = {}
        channel.waitForWorkers()
    }

    /// The reading thread: every record of the file, with its stored digest from `snapshot`,
    /// settled (`normalizing`; else left to the channel's workers as `.read`), into `channel`.
    /// The snapshot walks the store in file order, so its look-ups stay on this thread; the
    /// digest and the rest of the row's work go to the workers (a re-run's rows are mostly
    /// unchanged, and this thread was its bound).
    private static func read(
        _ reader: any RecordReader, path: String, normalizer: RecordNormalizer, filter: RowFilter?,
        snapshot: RawDigestSnapshot?, batch: BatchInfo, normalizing: Bool, dropsUnchangedRows: Bool,
        into channel: Channel<Item>
    ) {
        defer { snapshot?.close() }
        let mapping = normalizer.mapping
        let fingerprint = normalizer.fingerprint
        // The stored ids seen in this file: a repeat may find its row rewritten by the first.
        var seen = SeenIDs()
        // The record a pattern ran past its work limit on, for the message.
        var locator: Locator?
        do {
            while let next = try reader.next() {
                let item: Item
                switch next {
                case .unreadable(let problem):
                    item = .unreadable(
                        problem, sourceID: cell(problem.values, mapping.idColumn),
                        owner: normalizer.owner(in: problem.values))
                case .record(let record):
                    locator = record.locator
                    if let rejection = try filter?.check(record) {
                        item = .rejected(record.locator, rejection, owner: normalizer.owner(of: record))
                        break
                    }
                    let sourceID = normalizer.sourceID(of: record)
                    let stored = sourceID.isEmpty ? nil : snapshot?.stored(sourceID)
                    let keep = !dropsUnchangedRows || (stored != nil && !seen.insert(sourceID))
                    item =
                        normalizing
                        ? settle(
                            record, sourceID: sourceID, stored: stored, keep: keep, normalizer: normalizer,
                            fingerprint: fingerprint, batch: batch)
                        : .read(record, sourceID: sourceID, stored: stored, keep: keep)
                }
                guard channel.send(item) else { return }
            }
            channel.finish()
        } catch let timeout as BoundedRegex.Timeout {
            channel.finish(
                ExtractError(
                    .limitExceeded, file: path,
                    """
                    the pattern '\(timeout.pattern)' ran past its work limit on a cell of \(locator?.description ?? "a record") \
                    (limits.regex_steps): rewrite it without nested repetition (such as (a+)+)
                    """))
        } catch {
            channel.finish(error)
        }
    }

    /// A record that `stored` holds with the same raw digest goes on unnormalized (with its
    /// source row if `keep`); any other is normalized.
    private static func settle(
        _ record: SourceRecord, sourceID: String, stored: StoredDigest?, keep: Bool, normalizer: RecordNormalizer,
        fingerprint: Int64, batch: BatchInfo
    ) -> Item {
        let rawDigest = normalizer.rawDigest(of: record, fingerprint: fingerprint)
        guard let stored, stored.rawDigest == rawDigest else {
            return stage(record, normalizer: normalizer, rawDigest: rawDigest, batch: batch)
        }
        return .unchanged(
            record.locator, record: keep ? record : nil,
            UnchangedRow(system: normalizer.system, sourceID: sourceID, rawDigest: rawDigest, pending: stored.pending),
            updatedAt: normalizer.updatedAt(of: record), owner: normalizer.owner(of: record))
    }

    /// A readable record normalized: accepted and staged, or rejected.
    static func stage(
        _ record: SourceRecord, normalizer: RecordNormalizer, rawDigest: Int64,
        batch: BatchInfo
    ) -> Item {
        switch normalizer.normalize(record) {
        case .failure(let rejection):
            return .rejected(record.locator, rejection, owner: normalizer.owner(of: record))
        case .success(let canonical):
            return .accepted(record.locator, StagedRecord(canonical, batch: batch, rawDigest: rawDigest))
        }
    }

    private static func cell(_ values: [String], _ index: Int?) -> String {
        guard let index, values.indices.contains(index) else { return "" }
        return values[index].trimmingBlanks()
    }
}
