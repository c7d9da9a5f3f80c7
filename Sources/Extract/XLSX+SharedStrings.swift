/// The shared-strings table (`xl/sharedStrings.xml`): the text of every string cell, which the
/// sheet refers to by index. It is the one part held in memory whole, since any row may point
/// anywhere in it.
final class XLSXSharedStringsHandler: XLSXPartHandler {
    private(set) var strings: [String] = []
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
            strings.reserveCapacity(min(count, 1 << 20))
        }
    }

    override func end(_ name: XMLName) {
        if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            phonetic -= 1
        } else if name.is("si") {
            inItem = false
            strings.append(buffer.withUnsafeBufferPointer(XLSXValues.text))
        }
    }

    override func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inText { buffer.append(contentsOf: bytes) }
    }
}
