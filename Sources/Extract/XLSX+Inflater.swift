import CZip
import Foundation

/// Inflates one entry of the package a few chunks ahead of the XML parser that reads them: on
/// a thread of its own for a large part, on the reader's thread as it reads for a small one.
/// On a large sheet the parser's thread is the one that sets the pace: inflating and checking
/// the CRC elsewhere takes a fifth of its work off it, and libxml2 parses about a seventh faster
/// when it pulls its input than when chunks are pushed into it.
///
/// Enforces the size and ratio limits on the bytes actually inflated: the sizes in the zip
/// headers are the attacker's to choose. Reads no compressed byte past the entry's recorded end.
final class XLSXInflater: @unchecked Sendable {
    enum Outcome {
        /// The whole entry: the CRC-32 and the size of what it inflated to.
        case finished(UInt32, size: UInt64)
        /// The reader closed before the end.
        case closed
        case tooLarge, ratio
        case damaged(any Error)
    }

    fileprivate static let chunkSize = 1 << 16
    /// The size the zip directory gives the entry, up to `maxSize`: a guess, for sizing buffers
    /// only (it is the file's to choose; `checkIntegrity` compares it with what was inflated).
    let sizeHint: Int
    private let source: Source
    /// Where the thread queues its chunks; nil when the reader's thread inflates.
    private let queue: BoundedQueue<[UInt8], Outcome>?
    // The reader's side only: the chunk being read and how far, and how inflating on this
    // thread ended.
    private var current: [UInt8] = []
    private var offset = 0
    private var ending: Outcome?

    /// Whether `entry` is small enough, compressed and inflated, to inflate on the reader's
    /// thread: a chunk of each. Most parts of a workbook are a few hundred bytes, and a thread
    /// each (seven for a one-sheet workbook) cost more than inflating them: under
    /// AddressSanitizer, most of the fuzzers' time. The sizes are the file's to choose; a part
    /// larger than it says is still held to every limit, it only inflates on this thread.
    static func inflatesInline(_ entry: ZipArchive.Entry) -> Bool {
        max(entry.compressedSize, entry.uncompressedSize) <= UInt64(chunkSize)
    }

    /// Inflates `entry` up to `maxSize` bytes.
    init(_ package: XLSXPackage, _ entry: ZipArchive.Entry, maxSize: UInt64) {
        sizeHint = Int(min(entry.uncompressedSize, maxSize, UInt64(Int.max - 1)))
        source = Source(package, entry, maxSize: maxSize, outputSize: min(Self.chunkSize, sizeHint + 1))
        guard !Self.inflatesInline(entry) else {
            queue = nil
            return
        }
        let queue = BoundedQueue<[UInt8], Outcome>(depth: 4)
        self.queue = queue
        let thread = Thread { [source] in
            while true {
                switch source.next() {
                case .chunk(let chunk):
                    if queue.send(chunk) { continue }
                    queue.finish(.closed)
                case .end(let outcome):
                    queue.finish(outcome)
                }
                return
            }
        }
        thread.name = "crmbridge.inflate"
        thread.start()
    }

    /// Copies up to `count` inflated bytes to `buffer`; 0 when the entry ends, or inflating
    /// stopped (`close` says why).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while offset == current.count {
            guard let next = nextChunk() else { return 0 }
            current = next
            offset = 0
        }
        let copied = min(count, current.count - offset)
        current.withUnsafeBytes { raw in
            buffer.copyMemory(from: raw.baseAddress! + offset, byteCount: copied)
        }
        offset += copied
        return copied
    }

    private func nextChunk() -> [UInt8]? {
        if let queue { return queue.receive() }
        guard ending == nil else { return nil }
        switch source.next() {
        case .chunk(let chunk): return chunk
        case .end(let outcome):
            ending = outcome
            return nil
        }
    }

    /// Stops inflating if it has not ended and waits until the thread has let go of the archive.
    func close() -> Outcome {
        if let queue { return queue.closeAndWait() }
        return ending ?? .closed
    }
}

extension XLSXInflater {
    /// The chunks of one entry, inflated one at a time, counted against the limits and checksummed.
    /// Used by one thread at a time: the inflater's, or the reader's. (Nested, so that its frames
    /// name XLSXInflater, as fuzz/lsan.supp expects.)
    fileprivate final class Source: @unchecked Sendable {
        enum Step {
            case chunk([UInt8])
            case end(XLSXInflater.Outcome)
        }

        private let archive: ZipArchive
        private let entry: ZipArchive.Entry
        private let limits: XLSXReader.Limits
        private let maxSize: UInt64
        private var range: Range<UInt64>?
        private var position: UInt64 = 0
        private var zlib: OpaquePointer?
        private var input: [UInt8] = []
        private var start = 0
        private var outputSize: Int
        private var outputWasFull = false
        private var streamEnded = false
        private var inflated: UInt64 = 0
        private var crc: UInt32 = 0

        init(_ package: XLSXPackage, _ entry: ZipArchive.Entry, maxSize: UInt64, outputSize: Int) {
            archive = package.archive
            self.entry = entry
            limits = package.limits
            self.maxSize = maxSize
            self.outputSize = outputSize
        }

        deinit {
            if let zlib { cb_inflater_free(zlib) }
        }

        /// The next chunk, or how the entry ended; nothing is to be asked after the end.
        func next() -> Step {
            do {
                while let chunk = try produce() {
                    guard !chunk.isEmpty else { continue }
                    inflated += UInt64(chunk.count)
                    if inflated > maxSize { return .end(.tooLarge) }
                    // `dataRange` held the compressed size to the file: a bound on the ratio no header can inflate.
                    if inflated > limits.ratioFloor && inflated / max(1, entry.compressedSize) > limits.maxRatio {
                        return .end(.ratio)
                    }
                    crc = chunk.withUnsafeBufferPointer { cb_crc32(crc, $0.baseAddress, $0.count) }
                    return .chunk(chunk)
                }
                return .end(.finished(crc, size: inflated))
            } catch {
                return .end(.damaged(error))
            }
        }

        /// The next piece of the entry, maybe empty; nil at its end.
        private func produce() throws(ZipArchive.Failure) -> [UInt8]? {
            if range == nil {
                let range = try archive.dataRange(of: entry)
                self.range = range
                position = range.lowerBound
                if entry.method != 0 {
                    guard let zlib = cb_inflater_new() else { throw .damaged("zlib cannot start inflating (out of memory)") }
                    self.zlib = zlib
                }
            }
            guard let range else { return nil }
            guard let zlib else { return try copyStored(range) }
            return streamEnded ? nil : try inflateDeflated(zlib, range)
        }

        private func copyStored(_ range: Range<UInt64>) throws(ZipArchive.Failure) -> [UInt8]? {
            guard position < range.upperBound else { return nil }
            let count = Int(min(UInt64(XLSXInflater.chunkSize), range.upperBound - position))
            let chunk = try archive.bytes(at: position, count: count)
            guard chunk.count == count else { throw .damaged("the data ends before the part does") }
            position += UInt64(count)
            return chunk
        }

        /// One turn: consumes input, produces output or reads more input from the entry's range,
        /// and the range ends: a stream that never ends is damaged, not endless.
        ///
        /// Chunks of `outputSize` bytes: a whole chunk, or the entry's size and a byte when it says it
        /// is smaller (most parts are a few hundred bytes), so that an entry as large as it says comes
        /// out in the chunks a full-sized one would. One larger than it says doubles it to a chunk.
        private func inflateDeflated(_ zlib: OpaquePointer, _ range: Range<UInt64>) throws(ZipArchive.Failure) -> [UInt8] {
            if start == input.count && !outputWasFull {
                guard position < range.upperBound else {
                    throw .damaged("its compressed data ends before the part does")
                }
                let count = Int(min(UInt64(XLSXInflater.chunkSize), range.upperBound - position))
                input = try archive.bytes(at: position, count: count)
                guard input.count == count else { throw .damaged("the data ends before the part does") }
                position += UInt64(count)
                start = 0
            }
            var status = 0
            var consumed = 0
            let chunk = [UInt8](unsafeUninitializedCapacity: outputSize) { buffer, produced in
                status = input.withUnsafeBufferPointer { bytes in
                    Int(
                        cb_inflate(
                            zlib, bytes.baseAddress! + start, bytes.count - start, &consumed,
                            buffer.baseAddress, buffer.count, &produced))
                }
            }
            guard status != CB_INFLATE_DAMAGED else { throw .damaged("its compressed data is damaged") }
            start += consumed
            outputWasFull = chunk.count == outputSize
            if outputWasFull { outputSize = min(XLSXInflater.chunkSize, outputSize * 2) }
            streamEnded = status == CB_INFLATE_END
            return chunk
        }
    }
}
