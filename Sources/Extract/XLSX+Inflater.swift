import CCRC32
import Foundation
import ZIPFoundation

/// Inflates one entry of the package on a thread of its own, a few chunks ahead of the XML
/// parser that reads them. On a large sheet the parser's thread is the one that sets the pace:
/// inflating and checking the CRC elsewhere takes a fifth of its work off it, and libxml2 parses
/// about a seventh faster when it pulls its input than when chunks are pushed into it.
///
/// Enforces the size and ratio limits on the bytes actually inflated: the sizes in the zip
/// headers are the attacker's to choose.
final class XLSXInflater: @unchecked Sendable {
    enum Outcome {
        /// The whole entry: the CRC-32 and the size of what it inflated to.
        case finished(CRC32, size: UInt64)
        /// The reader closed before the end.
        case closed
        case tooLarge, ratio
        case damaged(any Error)
    }

    private let queue = BoundedQueue<Data, Outcome>(depth: 4)
    // The reader's side only: the chunk being read and how far.
    private var current = Data()
    private var offset = 0

    /// Inflates `entry` up to `maxSize` bytes.
    init(_ package: XLSXPackage, _ entry: Entry, maxSize: UInt64) {
        // The inflating thread is the only one to use it from here on.
        nonisolated(unsafe) let entry = entry
        let thread = Thread { [self] in
            queue.finish(inflate(package, entry, maxSize: maxSize))
        }
        thread.name = "crmbridge.inflate"
        thread.start()
    }

    private func inflate(_ package: XLSXPackage, _ entry: Entry, maxSize: UInt64) -> Outcome {
        let limits = package.limits
        // Compressed bytes cannot exceed the file: a bound on the ratio no header can inflate.
        let compressed = max(1, min(entry.compressedSize, package.fileSize))
        var inflated: UInt64 = 0
        // ZIPFoundation's CRC-32 is a byte-at-a-time table in Swift on Linux: it is skipped there
        // and zlib's computed here, on the same bytes.
        var crc: UInt32 = 0
        do {
            _ = try package.archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
                inflated += UInt64(data.count)
                if inflated > maxSize { throw Stop.tooLarge }
                if inflated > limits.ratioFloor && inflated / compressed > limits.maxRatio { throw Stop.ratio }
                data.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    crc = cb_crc32(crc, base.assumingMemoryBound(to: UInt8.self), raw.count)
                }
                if !data.isEmpty, !queue.send(data) { throw Stop.closed }
            }
            return .finished(crc, size: inflated)
        } catch Stop.tooLarge {
            return .tooLarge
        } catch Stop.ratio {
            return .ratio
        } catch Stop.closed {
            return .closed
        } catch {
            return .damaged(error)
        }
    }

    private enum Stop: Error { case tooLarge, ratio, closed }

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
