import Foundation
import Load
import Transform

/// A batch's source files in order, each opened as the batch comes to it (`OpenFile`). While the
/// batch waits for the store's lock, `readAhead` opens them and takes their chunks ahead, up to
/// `maxHeld` chunks in all, then stops reading (the reading thread waits on its full channel);
/// once the batch holds the lock, `next` hands them over in the same order and opens the rest.
///
/// What was read ahead is judged against the store as the lock found it: a file that another run
/// loaded meanwhile sends the batch back to its first file (`confirm`), and a row that a snapshot
/// taken before another batch committed found unchanged is looked up again by the merge
/// (`BatchSession.isCurrent`).
final class FileFeed {
    /// Chunks a waiting batch holds at most beside its channels: 32 of 512 records, 46 MB of
    /// bench rows in a waiting runner, beside a PostgreSQL run's 85 MB (docs/performance.md).
    static let maxHeld = 32

    private let config: PipelineConfig
    private let options: RunOptions
    private let batch: BatchInfo
    private let keyer: CustomerKeyer
    private let addresses = AddressParser()
    private let files: [Result<PlannedFile, ConfigIssue>]
    /// Per file, whether no file before it is of its system (`OpenFile.open`'s
    /// `dropsUnchangedRows`).
    private let firstOfSystem: [Bool]
    /// Per source entry, the `dedupe_by` values seen so far this batch, across its files.
    private var dedupeIndexes: [Int: DedupeIndex] = [:]
    /// The next of `files` to open.
    private var upcoming = 0
    /// Files opened ahead and not handed over yet, in order.
    private var ahead: [FileStart] = []
    private var heldChunks = 0
    /// The records taken ahead while the batch waited for the lock.
    private(set) var recordsAhead = 0
    /// `system`, NUL, checksum of the files opened ahead: a second file with the same content
    /// is skipped once the first is loaded, which only the batch itself knows.
    private var checksumsAhead: Set<String> = []
    private var stopped = false

    init(config: PipelineConfig, options: RunOptions, batch: BatchInfo) {
        self.config = config
        self.options = options
        self.batch = batch
        keyer = CustomerKeyer(secret: config.secret)
        var files: [Result<PlannedFile, ConfigIssue>] = []
        for (entry, source) in config.sources.enumerated() {
            dedupeIndexes[entry] = DedupeIndex()
            switch config.files(of: source) {
            case .success(let paths): files += paths.map { .success(PlannedFile(entry: entry, source: source, path: $0)) }
            case .failure(let issue): files.append(.failure(issue))
            }
        }
        self.files = files
        var systems: Set<String> = []
        firstOfSystem = files.map { file in
            guard case .success(let file) = file else { return false }
            return systems.insert(file.source.system).inserted
        }
    }

    /// The store thread, while another run holds the lock: opens files and takes their chunks
    /// until `deadline`, or returns early with nothing to do now. `reads` sees the store as the
    /// last committed batch left it. A file it cannot judge yet (a repeated checksum, a failed
    /// read of the store) ends the read-ahead: the batch opens it once it holds the lock.
    func readAhead(_ reads: any CommittedReads, until deadline: Date) {
        while !stopped, heldChunks < Self.maxHeld, Date() < deadline {
            if case .reading(let file)? = ahead.last, !file.readToEnd {
                guard file.readAhead(waitingUntil: deadline) else {
                    if file.readToEnd { continue }
                    return
                }
                heldChunks += 1
                recordsAhead += file.held.last?.count ?? 0
                continue
            }
            guard upcoming < files.count else { return }
            switch files[upcoming] {
            case .failure(let issue):
                ahead.append(.invalid(issue))
            case .success(let file):
                switch OpenFile.check(file) {
                case .unreadable(let failed):
                    ahead.append(.settled(failed))
                case .readable(let sha256, let bytes):
                    let checksum = file.source.system + "\u{0}" + sha256
                    // Not yet holding the lock, the snapshot may not be current: rows keep their source row.
                    guard options.force || !checksumsAhead.contains(checksum),
                        let start = try? open(file, sha256: sha256, bytes: bytes, reads: reads, dropsUnchangedRows: false)
                    else {
                        stopped = true
                        return
                    }
                    if case .reading = start { checksumsAhead.insert(checksum) }
                    ahead.append(start)
                }
            }
            upcoming += 1
        }
    }

    /// Once the batch holds the lock: should another run have loaded a file read ahead since,
    /// the read-ahead is dropped and the batch starts again from its first file (its rows went
    /// through the `dedupe_by` indexes, which a skipped file must not fill).
    func confirm(_ session: any BatchSession) throws {
        guard !options.force else { return }
        for case .reading(let file) in ahead {
            guard try session.batchThatLoaded(system: file.file.source.system, sha256: file.sha256) != nil else { continue }
            close()
            upcoming = 0
            checksumsAhead = []
            for entry in dedupeIndexes.keys { dedupeIndexes[entry] = DedupeIndex() }
            return
        }
    }

    /// The next file of the batch, in order; nil after the last.
    func next(_ session: any BatchSession) throws -> FileStart? {
        if !ahead.isEmpty { return ahead.removeFirst() }
        return try openUpcoming(session, behind: false)
    }

    /// `behind`: opened while the store merges an earlier file (`drainAhead`).
    private func openUpcoming(_ session: any BatchSession, behind: Bool) throws -> FileStart? {
        guard upcoming < files.count else { return nil }
        upcoming += 1
        switch files[upcoming - 1] {
        case .failure(let issue):
            return .invalid(issue)
        case .success(let file):
            switch OpenFile.check(file) {
            case .unreadable(let failed): return .settled(failed)
            case .readable(let sha256, let bytes):
                return try open(
                    file, sha256: sha256, bytes: bytes, reads: session, dropsUnchangedRows: firstOfSystem[upcoming - 1],
                    behind: behind)
            }
        }
    }

    /// Files read ahead at once behind the one merging: two keep both cores reading while a
    /// short file merges (a re-run's files are read in about the time the store thread takes to
    /// merge them).
    static let drainedAhead = 2

    /// The niceness of the threads of a file opened behind the one merging (its reader and
    /// workers): they take what CPU the file being merged leaves, which a re-run waits on. At the
    /// same niceness, the first file's reading thread (the re-run's long pole) shared the cores
    /// with them, and once their buffers were full, ran alone. Not undone when the file's turn
    /// comes (an unprivileged process may not lower a niceness), and then the files behind it
    /// have the same.
    static let behindNiceness: Int32 = 5

    /// While the batch merges `current`: the next files, opened now if they were not, read ahead
    /// on threads of their own (`OpenFile.drainAhead`), each when no file before it still to
    /// merge is of its system (its rows go through other `dedupe_by` indexes, and nothing
    /// before it can rewrite them) and the store holds rows of its system already. A first
    /// load's files hold new rows only, all merged by the store thread, which is then the bound:
    /// reading ahead would only hold memory.
    func drainAhead(_ session: any BatchSession, behind current: OpenFile) throws {
        guard current.snapshot != nil else { return }
        var systems: Set<String> = [current.file.source.system]
        for position in 0..<Self.drainedAhead {
            if position == ahead.count {
                guard upcoming < files.count, case .success(let file) = files[upcoming],
                    !systems.contains(file.source.system), let start = try openUpcoming(session, behind: true)
                else { return }
                ahead.append(start)
            }
            guard case .reading(let file) = ahead[position] else { continue }
            let system = file.file.source.system
            if !systems.contains(system), file.snapshot != nil { file.drainAhead() }
            systems.insert(system)
        }
    }

    /// Stops the files opened ahead and not handed over.
    func close() {
        for case .reading(let file) in ahead {
            file.cancel()
            file.finish()
        }
        ahead = []
        heldChunks = 0
    }

    private func open(
        _ file: PlannedFile, sha256: String, bytes: Int64, reads: any CommittedReads, dropsUnchangedRows: Bool,
        behind: Bool = false
    ) throws -> FileStart {
        try OpenFile.open(
            file, sha256: sha256, bytes: bytes, in: batch, reads: reads, dedupeIndex: dedupeIndexes[file.entry]!,
            keyer: keyer, addresses: addresses, pipeline: config.file, options: options,
            dropsUnchangedRows: dropsUnchangedRows, niceness: behind ? Self.behindNiceness : 0)
    }
}
