import Glibc

/// How many bytes at a time to read the open file `fd` in: `chunk`, or for a regular file
/// smaller than that, its size and one byte. One read then takes the whole file and the next
/// finds its end, as with a full chunk, so what a reader sees of the file does not change.
///
/// Readers open many small files (a night's web forms, WeChat pushes), and a fixed chunk each, a
/// megabyte for the text readers, was mostly never filled. Under AddressSanitizer, which maps,
/// poisons and unmaps a block that large on every allocation, it was most of the fuzzers' time.
func readChunkSize(_ fd: Int32, upTo chunk: Int) -> Int {
    var info = stat()
    // A pipe or a device has no size to go by.
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return chunk }
    return min(chunk, max(0, Int(info.st_size)) + 1)
}
