import Glibc
import Testing

@testable import Extract

/// What the text and XML readers read a file in: a file smaller than a chunk whole in one read
/// and its end in the next, a larger one in chunks, a pipe (which has no size) in chunks.
@Suite struct ReadChunkTests {
    @Test(arguments: [(0, 1), (10, 11), (4_095, 4_096), (4_096, 4_096), (100_000, 4_096)])
    func aRegularFileTakesItsSizeAndAByteUpToAChunk(size: Int, chunk: Int) throws {
        let path = try temporaryFile([UInt8](repeating: 0x61, count: size))
        let fd = open(path, O_RDONLY)
        defer {
            close(fd)
            unlink(path)
        }
        #expect(readChunkSize(fd, upTo: 4_096) == chunk)
    }

    @Test func aPipeTakesAWholeChunk() {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        #expect(readChunkSize(ends[0], upTo: 1 << 20) == 1 << 20)
    }
}
