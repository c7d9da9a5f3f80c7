/// The shared-strings table (`xl/sharedStrings.xml`): the text of every string cell, which the
/// sheet refers to by index. It is the one part held in memory whole, since any row may point
/// anywhere in it: as one buffer of UTF-8 and where each string ends, about a quarter of what a
/// String apiece takes (a million strings: 22 MB, not 90), and no allocation per string to load.
/// Its size is bounded by `Limits.maxSharedStrings` and `maxSharedStringBytes`.
struct XLSXSharedStrings: Sendable {
    private var bytes: [UInt8] = []
    /// Where each string ends in `bytes`; each starts where the one before ends. 4 bytes, not an
    /// Int's 8: in a table of tiny strings (`<si><t>1</t></si>`) these are most of the memory.
    private var ends: [UInt32] = []
    /// The strings longer than `maxCellBytes`, kept empty: a cell that points to one is refused.
    private var oversized: Set<Int> = []

    var count: Int { ends.count }
    var byteCount: Int { bytes.count }

    /// The string at `index` (0..<count).
    subscript(index: Int) -> String {
        let range = self.range(index)
        return bytes.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[range]), as: UTF8.self)
        }
    }

    /// The length in UTF-8 bytes of the string at `index`.
    func length(_ index: Int) -> Int { range(index).count }

    func isOversized(_ index: Int) -> Bool { length(index) == 0 && oversized.contains(index) }

    private func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index])
    }

    mutating func reserve(_ count: Int) { ends.reserveCapacity(count) }

    /// Adds a string; the table's limits keep `bytes` under 4 GiB.
    mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        XLSXValues.unescape(text, into: &bytes)
        ends.append(UInt32(bytes.count))
    }

    mutating func appendOversized() {
        oversized.insert(count)
        ends.append(UInt32(bytes.count))
    }
}

final class XLSXSharedStringsHandler: XLSXPartHandler {
    private(set) var strings = XLSXSharedStrings()
    private var limits: XLSXReader.Limits
    private var inItem = false
    private var inText = false
    /// Depth of `<rPh>` phonetic runs (furigana/pinyin guides): their text is not the cell's.
    private var phonetic = 0
    private var buffer: [UInt8] = []
    /// The item's text went over `maxCellBytes`: the rest of it is not kept.
    private var tooLarge = false

    init(limits: XLSXReader.Limits) {
        self.limits = limits
        // `ends` holds 32-bit offsets.
        self.limits.maxSharedStringBytes = min(limits.maxSharedStringBytes, Int(UInt32.max))
    }

    override func start(_ name: XMLName, _ attributes: XMLAttributes) {
        guard !stopped else { return }
        if name.is("si") {
            inItem = true
            tooLarge = false
            buffer.removeAll(keepingCapacity: true)
        } else if name.is("t") {
            inText = inItem && phonetic == 0
        } else if name.is("rPh") {
            phonetic += 1
        } else if name.is("sst"), let count = attributes.integer("uniqueCount") {
            // The count is the file's word: reserve no more than a plausible table.
            strings.reserve(min(count, 1 << 20, limits.maxSharedStrings))
        }
    }

    override func end(_ name: XMLName) {
        guard !stopped else { return }
        if name.is("t") {
            inText = false
        } else if name.is("rPh") {
            phonetic -= 1
        } else if name.is("si") {
            inItem = false
            add()
        }
    }

    override func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard inText, !tooLarge, !stopped else { return }
        if buffer.count + bytes.count > limits.maxCellBytes {
            tooLarge = true
            buffer.removeAll()
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// The item just read, unless the table would go over its limits: then the part is refused.
    private func add() {
        guard strings.count < limits.maxSharedStrings else {
            return refuse(
                """
                holds more than \(limits.maxSharedStrings) strings: raise the limit if the workbook is genuine \
                (\(XLSXReader.Limits.named("maxSharedStrings")))
                """)
        }
        if tooLarge { return strings.appendOversized() }
        // Decoding `_xHHHH_` escapes never lengthens the text: the raw count bounds what is stored.
        guard strings.byteCount + buffer.count <= limits.maxSharedStringBytes else {
            return refuse(
                """
                holds more than \(ByteSize.text(limits.maxSharedStringBytes)) of text: raise the limit \
                if the workbook is genuine (\(XLSXReader.Limits.named("maxSharedStringBytes")))
                """)
        }
        buffer.withUnsafeBufferPointer { strings.append($0) }
    }
}
