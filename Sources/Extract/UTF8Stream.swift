import CICU
import Glibc

/// Reads a file chunk by chunk and hands out its text as UTF-8, decoding legacy encodings with
/// ICU on the way. Bytes invalid in the encoding come out as U+FFFD, which the record layer
/// turns into a `bad_encoding` reject of the one record that holds them.
final class UTF8Stream {
    let path: String
    let encoding: TextEncoding
    private let fd: Int32
    private var raw: [UInt8]
    /// ICU's output, written before it is read: never zero-filled.
    private var decoded = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)
    private var converter: OpaquePointer?
    private var atStart = true
    private var rawEOF = false
    private var startedOutput = false
    private let buffer: UnsafeMutableRawPointer
    private let bufferSize: Int

    static let chunkSize = 1 << 20

    /// Opens `path`; `encoding` nil means detect it from the first chunk.
    init(path: String, encoding: TextEncoding?) throws(ExtractError) {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ExtractError(.cannotOpen, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        bufferSize = readChunkSize(fd, upTo: Self.chunkSize)
        buffer = .allocate(byteCount: bufferSize, alignment: 1)
        raw = []
        do {
            rawEOF = try Self.read(fd, into: &raw, buffer: buffer, count: bufferSize, path: path)
        } catch {
            // `encoding` is not set yet: deinit does not run.
            buffer.deallocate()
            close(fd)
            throw error
        }
        self.encoding = encoding ?? TextEncoding.detect(raw.prefix(64 * 1024))
        if self.encoding != .utf8 {
            var message = [CChar](repeating: 0, count: 256)
            guard let handle = cb_converter_open(self.encoding.icuName, 1, &message, message.count) else {
                // Every property is set by now: deinit runs, and closes the file (closing it here
                // too could close a descriptor another thread has opened since).
                throw ExtractError(
                    .unknownEncoding, file: path,
                    String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            converter = handle
        }
    }

    deinit {
        if let converter { cb_converter_close(converter) }
        decoded.deallocate()
        buffer.deallocate()
        close(fd)
    }

    /// Appends one chunk of the file to `raw`; returns true at the end of the file.
    private static func read(
        _ fd: Int32, into raw: inout [UInt8], buffer: UnsafeMutableRawPointer, count size: Int,
        path: String
    ) throws(ExtractError) -> Bool {
        var count = 0
        repeat {
            count = Glibc.read(fd, buffer, size)
        } while count < 0 && errno == EINTR
        guard count >= 0 else {
            throw ExtractError(.cannotRead, file: path, "read failed: \(String(cString: strerror(errno)))")
        }
        raw.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: count))
        return count == 0
    }

    /// Calls `body` with the next chunk of UTF-8 text; returns false at the end of the file.
    /// The buffer is only valid during the call.
    func nextChunk(_ body: (UnsafeBufferPointer<UInt8>) throws(ExtractError) -> Void) throws(ExtractError) -> Bool {
        if raw.isEmpty {
            if rawEOF { return false }
            rawEOF = try Self.read(fd, into: &raw, buffer: buffer, count: bufferSize, path: path)
            if raw.isEmpty && rawEOF {
                if converter != nil { try flushConverter(body) }
                return false
            }
        }
        if atStart {
            atStart = false
            if encoding == .utf8 && raw.starts(with: TextEncoding.utf8.byteOrderMark) {
                raw.removeFirst(3)
            }
        }
        if let converter {
            try convert(converter, flush: false, body)
        } else {
            try raw.withUnsafeBufferPointer { (buffer) throws(ExtractError) in try body(buffer) }
            raw.removeAll(keepingCapacity: true)
        }
        return true
    }

    private func convert(
        _ converter: OpaquePointer, flush: Bool,
        _ body: (UnsafeBufferPointer<UInt8>) throws(ExtractError) -> Void
    ) throws(ExtractError) {
        // UTF-16 and GB18030 never take more than 3 UTF-8 bytes per input byte (+ the replacement).
        let capacity = raw.count * 3 + 16
        if decoded.count < capacity {
            decoded.deallocate()
            decoded = .allocate(capacity: capacity)
        }
        var consumed = 0
        var produced = 0
        let status = raw.withUnsafeBytes { source in
            decoded.withMemoryRebound(to: CChar.self) { target in
                cb_converter_to_utf8(
                    converter, source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count,
                    target.baseAddress, target.count, flush ? 1 : 0, &consumed, &produced)
            }
        }
        guard status == 0 else {
            throw ExtractError(.cannotRead, file: path, "cannot decode as \(encoding.rawValue) (ICU error \(status))")
        }
        raw.removeFirst(consumed)
        var start = 0
        // The converter passes a byte order mark through as U+FEFF (EF BB BF): drop it.
        if produced >= 3 && decoded[0] == 0xEF && decoded[1] == 0xBB && decoded[2] == 0xBF && !startedOutput {
            start = 3
        }
        startedOutput = true
        try body(UnsafeBufferPointer(rebasing: decoded[start..<produced]))
    }

    private func flushConverter(_ body: (UnsafeBufferPointer<UInt8>) throws(ExtractError) -> Void) throws(ExtractError) {
        guard let converter else { return }
        try convert(converter, flush: true, body)
    }
}
