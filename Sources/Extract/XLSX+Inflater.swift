import CZip
import Foundation

/// Inflates one entry of the package on a thread of its own, a few chunks ahead of the XML
/// parser that reads them. On a large sheet the parser's thread is the one that sets the pace:
/// inflating and checking the CRC elsewhere takes a fifth of its work off it, and libxml2 parses
/// about a seventh faster when it pulls its input than when chunks are pushed into it.
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

    private static let chunkSize = 1 << 16
    private let queue = BoundedQueue<[UInt8], Outcome>(depth: 4)
    /// The size the zip directory gives the entry, up to `maxSize`: a guess, for sizing buffers
    /// only (it is the file's to choose; `checkIntegrity` compares it with what was inflated).
    let sizeHint: Int
    // The reader's side only: the chunk being read and how far.
    private var current: [UInt8] = []
    private var offset = 0

    /// Inflates `entry` up to `maxSize` bytes.
    init(_ package: XLSXPackage, _ entry: ZipArchive.Entry, maxSize: UInt64) {
        sizeHint = Int(min(entry.uncompressedSize, maxSize, UInt64(Int.max - 1)))
        let outputSize = min(Self.chunkSize, sizeHint + 1)
        let thread = Thread { [self] in
            var output = Output(queue: queue, limits: package.limits, maxSize: maxSize, compressed: entry.compressedSize)
            queue.finish(Self.inflate(package.archive, entry, outputSize: outputSize, into: &output))
        }
        thread.name = "crmbridge.inflate"
        thread.start()
    }

    /// Where inflated chunks go: counted against the limits, checksummed, queued.
    private struct Output {
        let queue: BoundedQueue<[UInt8], Outcome>
        let limits: XLSXReader.Limits
        let maxSize: UInt64
        let compressed: UInt64
        var inflated: UInt64 = 0
        var crc: UInt32 = 0

        /// nil to go on, or how inflating ends.
        mutating func send(_ chunk: [UInt8]) -> Outcome? {
            guard !chunk.isEmpty else { return nil }
            inflated += UInt64(chunk.count)
            if inflated > maxSize { return .tooLarge }
            // `dataRange` held the compressed size to the file: a bound on the ratio no header can inflate.
            if inflated > limits.ratioFloor && inflated / max(1, compressed) > limits.maxRatio { return .ratio }
            crc = chunk.withUnsafeBufferPointer { cb_crc32(crc, $0.baseAddress, $0.count) }
            return queue.send(chunk) ? nil : .closed
        }
    }

    private static func inflate(
        _ archive: ZipArchive, _ entry: ZipArchive.Entry, outputSize: Int, into output: inout Output
    ) -> Outcome {
        do {
            let range = try archive.dataRange(of: entry)
            let ending =
                entry.method == 0
                ? try copyStored(archive, range, into: &output)
                : try inflateDeflated(archive, range, outputSize: outputSize, into: &output)
            return ending ?? .finished(output.crc, size: output.inflated)
        } catch {
            return .damaged(error)
        }
    }

    private static func copyStored(
        _ archive: ZipArchive, _ range: Range<UInt64>, into output: inout Output
    ) throws(ZipArchive.Failure) -> Outcome? {
        var position = range.lowerBound
        while position < range.upperBound {
            let count = Int(min(UInt64(chunkSize), range.upperBound - position))
            let chunk = try archive.bytes(at: position, count: count)
            guard chunk.count == count else { throw .damaged("the data ends before the part does") }
            position += UInt64(count)
            if let ending = output.send(chunk) { return ending }
        }
        return nil
    }

    /// Every turn of the loop consumes input, produces output or reads more input from the
    /// entry's range, and the range ends: a stream that never ends is damaged, not endless.
    ///
    /// Chunks of `outputSize` bytes: a whole chunk, or the entry's size and a byte when it says it
    /// is smaller (most parts are a few hundred bytes), so that an entry as large as it says comes
    /// out in the chunks a full-sized one would. One larger than it says doubles it to a chunk.
    private static func inflateDeflated(
        _ archive: ZipArchive, _ range: Range<UInt64>, outputSize: Int, into output: inout Output
    ) throws(ZipArchive.Failure) -> Outcome? {
        guard let inflater = cb_inflater_new() else { throw .damaged("zlib cannot start inflating (out of memory)") }
        defer { cb_inflater_free(inflater) }
        var input: [UInt8] = []
        var position = range.lowerBound
        var start = 0
        var available = 0
        var outputWasFull = false
        var outputSize = outputSize
        while true {
            if start == available && !outputWasFull {
                guard position < range.upperBound else {
                    throw .damaged("its compressed data ends before the part does")
                }
                let count = Int(min(UInt64(chunkSize), range.upperBound - position))
                input = try archive.bytes(at: position, count: count)
                available = input.count
                guard available == count else { throw .damaged("the data ends before the part does") }
                position += UInt64(count)
                start = 0
            }
            var status = 0
            var consumed = 0
            let chunk = [UInt8](unsafeUninitializedCapacity: outputSize) { buffer, produced in
                status = input.withUnsafeBufferPointer { bytes in
                    Int(
                        cb_inflate(
                            inflater, bytes.baseAddress! + start, available - start, &consumed,
                            buffer.baseAddress, buffer.count, &produced))
                }
            }
            guard status != CB_INFLATE_DAMAGED else { throw .damaged("its compressed data is damaged") }
            start += consumed
            outputWasFull = chunk.count == outputSize
            if outputWasFull { outputSize = min(chunkSize, outputSize * 2) }
            if let ending = output.send(chunk) { return ending }
            if status == CB_INFLATE_END { return nil }
        }
    }

    /// Copies up to `count` inflated bytes to `buffer`; 0 when the entry ends, or inflating
    /// stopped (`close` says why).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while offset == current.count {
            guard let next = queue.receive() else { return 0 }
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

    /// Stops inflating if it has not ended and waits until the thread has let go of the archive.
    func close() -> Outcome { queue.closeAndWait() }
}
