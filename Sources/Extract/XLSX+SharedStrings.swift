/// The shared-strings table (`xl/sharedStrings.xml`): the text of every string cell, which the
/// sheet refers to by index. It is the one part held in memory whole, since any row may point
/// anywhere in it: as one buffer of UTF-8 and where each string ends, about a quarter of what a
/// String apiece takes (a million strings: 22 MB, not 90), and no allocation per string to load.
struct XLSXSharedStrings: Sendable {
    private var bytes: [UInt8] = []
    /// Where each string ends in `bytes`; each starts where the one before ends.
    private var ends: [Int] = []

    var count: Int { ends.count }

    /// The string at `index` (0..<count).
    subscript(index: Int) -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[start..<ends[index]]), as: UTF8.self)
        }
    }

    mutating func reserve(_ count: Int) { ends.reserveCapacity(count) }

    mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        XLSXValues.unescape(text, into: &bytes)
        ends.append(bytes.count)
    }
}

final class XLSXSharedStringsHandler: XLSXPartHandler {
    private(set) var strings = XLSXSharedStrings()
    private var inItem = false
    private var inText = false
    /// Depth of `<rPh>` phonetic runs (furigana/pinyin guides): their text is not the cell's.
    private var phonetic = 0
    private var buffer: [UInt8] = []

    override func start(_ name: XMLName, _ attributes: XMLAttributes) {
        if name.is("si") {
            inItem = true
            buffer.removeAll(keepingCapacity: true)
        } else if name.is("t") {
            inText = inItem && phonetic == 0
        } else if name.is("rPh") {
            phonetic += 1
        } else if name.is("sst"), let count = attributes.integer("uniqueCount") {
            // The count is the file's word: reserve no more than a plausible table.
            strings.reserve(min(count, 1 << 20))
        }
    }

    override func end(_ name: XMLName) {
        if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            phonetic -= 1
        } else if name.is("si") {
            inItem = false
            buffer.withUnsafeBufferPointer { strings.append($0) }
        }
    }

    override func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inText { buffer.append(contentsOf: bytes) }
    }
}
