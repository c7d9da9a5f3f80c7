import CXML2
import Glibc

/// Streams the records of an XML file of pushed messages (WeChat official-account pushes: one
/// `<xml>` element per message), holding one record's mapped values in memory.
///
/// ```swift
/// let reader = try XMLReader(path: "wechat_forms.xml", columns: ["MsgId", "CreateTime", "Content#手机|电话"])
/// while let result = try reader.next() { … }   // values[i] is the value at columns[i]
/// ```
///
/// Every element named `recordElement`, at any depth, is one record; its locator is the line of
/// its start tag. Columns are paths of child elements relative to the record element (`Content`,
/// `a/b` or `a.b`), their text and CDATA sections concatenated; a missing element is "". A
/// column may take one labelled form answer of an element's text (`Content#手机|电话`, see
/// `LabelledPath`). A record element with no text at all is an `empty_row`. When the document
/// turns out malformed (cut off, a stray `<`), the records before the damage come out, then
/// one `malformed` record at the line where parsing failed, then the end. Bytes that are not
/// valid in the encoding the file declares (`encoding="GBK"`) end it the same way, with one
/// `bad_encoding` record.
///
/// The file is never allowed to pull anything in: no network, no DTD, no entity expansion. A
/// document that declares a DTD (the way XXE and "billion laughs" payloads arrive) is refused as
/// a whole before any of its records is read.
///
/// libxml2's push parser with SAX callbacks does the parsing, fed one chunk of the file at a
/// time; no tree is built. (`xmlTextReader` would be the obvious choice, but when its last chunk
/// fails to parse it reports the error before the complete records still queued in that chunk,
/// which would lose them: a truncated export must still yield every record before the cut.)
package final class XMLReader: RecordReader {
    package let columns: [String]
    package var recordElement: String { state.recordElement }

    private let path: String
    private let fd: Int32
    private let state: SAXState
    private var context: xmlParserCtxtPtr?
    private var handler = xmlSAXHandler()
    private let buffer: UnsafeMutablePointer<CChar>
    private let bufferSize: Int
    private var resultIndex = 0
    private var atEnd = false

    static let chunkSize = 1 << 16

    /// libxml2's parser options: no network. No entity substitution (`XML_PARSE_NOENT`), no DTD
    /// loading or validation, no `XML_PARSE_HUGE`: the defaults already, named here so that
    /// nobody adds them.
    static let options = Int32(XML_PARSE_NONET.rawValue)

    package init(path: String, columns: [String], recordElement: String = "xml", limits: ReadLimits = ReadLimits())
        throws(ExtractError)
    {
        self.path = path
        self.columns = columns
        state = SAXState(columns: columns, recordElement: recordElement, limits: limits)
        fd = open(path, O_RDONLY)
        bufferSize = fd >= 0 ? readChunkSize(fd, upTo: Self.chunkSize) : 0
        buffer = .allocate(capacity: bufferSize)
        guard fd >= 0 else {
            // Every property is set: deinit runs and frees the buffer.
            throw ExtractError(.cannotOpen, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { user, name, _, _, _, _, _, _, _ in
            guard let user, let name else { return }
            SAXState.of(user).startElement(name)
        }
        handler.endElementNs = { user, _, _, _ in
            guard let user else { return }
            SAXState.of(user).endElement()
        }
        handler.characters = { user, text, count in
            guard let user, let text else { return }
            SAXState.of(user).text(text, count: Int(count))
        }
        handler.cdataBlock = handler.characters
        handler.endDocument = { user in
            guard let user else { return }
            SAXState.of(user).ended = true
        }
        // A DOCTYPE, an entity declaration or a reference to an entity: stop before anything of
        // it is acted on.
        handler.internalSubset = { user, _, _, _ in
            guard let user else { return }
            SAXState.of(user).refuse()
        }
        handler.externalSubset = handler.internalSubset
        handler.entityDecl = { user, _, _, _, _, _ in
            guard let user else { return }
            SAXState.of(user).refuse()
        }
        handler.reference = { user, _ in
            guard let user else { return }
            SAXState.of(user).refuse()
        }
        handler.serror = { user, error in
            guard let user, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            SAXState.of(user).fail(
                message: error.pointee.message.map { String(cString: $0) } ?? "",
                line: Int(error.pointee.line))
        }
        // A DOCTYPE comes before any record: parsing the first chunk here lets `crmbridge check`,
        // which only opens the files, refuse it too.
        try parseChunk()
    }

    deinit {
        if let context { xmlFreeParserCtxt(context) }
        buffer.deallocate()
        if fd >= 0 { close(fd) }
    }

    package func next() throws(ExtractError) -> ReadResult? {
        while resultIndex >= state.results.count {
            state.results.removeAll(keepingCapacity: true)
            resultIndex = 0
            if atEnd { return nil }
            try parseChunk()
        }
        let result = state.results[resultIndex]
        resultIndex += 1
        return result
    }

    private func parseChunk() throws(ExtractError) {
        // Per chunk, not per parser: the handler belongs to the thread, and nothing ties a reader to one.
        cb_xml_silence_thread()
        var count = 0
        var status: Int32 = 0
        repeat {
            count = read(fd, buffer, bufferSize)
        } while count < 0 && errno == EINTR
        guard count >= 0 else {
            throw ExtractError(.cannotRead, file: path, "read failed: \(String(cString: strerror(errno)))")
        }
        if context == nil {
            // An empty export (no pushes that night) holds no records.
            if count == 0 { atEnd = true; return }
            // The first bytes tell the parser the encoding (a byte order mark, `<?xml encoding=`).
            let head = min(count, 4)
            guard
                let created = xmlCreatePushParserCtxt(
                    &handler, Unmanaged.passUnretained(state).toOpaque(),
                    buffer, Int32(head), path)
            else {
                throw ExtractError(.cannotRead, file: path, "libxml2 cannot start parsing the file")
            }
            xmlCtxtUseOptions(created, Self.options)
            context = created
            state.context = created
            if count > head { status = xmlParseChunk(created, buffer + head, Int32(count - head), 0) }
        } else if let context {
            status = xmlParseChunk(context, count > 0 ? buffer : nil, Int32(count), count == 0 ? 1 : 0)
        }
        if count == 0 { atEnd = true }
        if let context, !state.ended, !state.failed, !state.refused,
            atEnd || context.pointee.instate == XML_PARSER_EOF
        {
            // libxml2 halts without reporting an error when the bytes cannot be decoded from the
            // file's declared encoding (GBK, Shift_JIS…); it only writes to stderr. Without this
            // the file would end quietly at those bytes, every record after them lost.
            state.failUndecodable(status: status, line: state.line)
        }
        if state.refused {
            atEnd = true
            state.results.removeAll()
            throw ExtractError(
                .unsupported, file: path,
                """
                the file declares a DTD/entities; crmbridge never expands them (XXE and entity-expansion \
                attacks arrive this way): export the pushes without a DOCTYPE
                """)
        }
        if state.failed {
            atEnd = true
        } else if atEnd && state.recordDepth >= 0 {
            // Cannot happen without a parse error; kept so that no record is ever dropped silently.
            state.fail(message: "the file ends inside a <\(state.recordElement)> element", line: state.line)
        }
    }
}

/// What the SAX callbacks build: the record being read and the results of the current chunk.
private final class SAXState {
    let columns: [String]
    let recordElement: String
    private let recordElementName: [CChar]
    let labelled: [LabelledPath]
    /// The element paths the columns read, below the record element.
    private let tree: ElementTree
    /// Per column, the node of its path taken as it is (an element whose name holds dots,
    /// `utm.source`), and of its base path with dots as levels (`a.b` and `a/b`: b in a).
    private let wholeNode: [Int32]
    private let baseNode: [Int32]
    /// The labelled columns, grouped by the node of their base path, with their labels: one walk
    /// over the node's text answers them all.
    private let labelledByBase: [(node: Int32, columns: [Int], labelSets: [[[UInt8]]])]
    var context: xmlParserCtxtPtr?
    var results: [ReadResult] = []
    var refused = false
    var failed = false
    /// libxml2 reached the end of the document (`endDocument`), well-formed or not.
    var ended = false

    /// How deep elements may nest (pushes are two or three levels deep; a document nested
    /// thousands of levels deep is an attack on the parser's time and memory, refused as
    /// malformed), and how much text a record's cells may hold.
    let limits: ReadLimits

    // The record being read: depth of its element (-1: outside any record), depth of the parser.
    var recordDepth = -1
    private var depth = 0
    private var recordLine = 0
    /// The tree node of each open element below the record element (-1: no column reads it or
    /// anything below it), and the innermost one's. An event costs the same at any depth.
    private var openNodes: [Int32] = []
    private var node: Int32 = -1
    /// Per node, the text kept and whether its element has closed (a repeated element does not
    /// add to the first one's text).
    private var texts: [[UInt8]]
    private var closed: [Bool]
    private var sawText = false
    /// The text kept of the current record, and why it was cut (then the record is `too_large`).
    private var recordBytes = 0
    private var oversized: String?

    init(columns: [String], recordElement: String, limits: ReadLimits) {
        self.columns = columns
        self.recordElement = recordElement
        recordElementName = recordElement.utf8CString.map { $0 }
        self.limits = limits
        let labelled = columns.map(LabelledPath.init)
        self.labelled = labelled
        var tree = ElementTree()
        wholeNode = columns.map { tree.insert($0) }
        let baseNode = labelled.map { tree.insert(String($0.base.map { $0 == "." ? "/" : $0 })) }
        self.baseNode = baseNode
        var groups: [(node: Int32, columns: [Int], labelSets: [[[UInt8]]])] = []
        for index in columns.indices where labelled[index].labels != nil {
            if let group = groups.firstIndex(where: { $0.node == baseNode[index] }) {
                groups[group].columns.append(index)
                groups[group].labelSets.append(labelled[index].labelBytes)
            } else {
                groups.append((baseNode[index], [index], [labelled[index].labelBytes]))
            }
        }
        labelledByBase = groups
        self.tree = tree
        texts = Array(repeating: [], count: tree.count)
        closed = Array(repeating: false, count: tree.count)
    }

    static func of(_ pointer: UnsafeMutableRawPointer) -> SAXState {
        Unmanaged<SAXState>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// The parser's line: just past the tag or text it reports.
    var line: Int {
        guard let input = context?.pointee.input else { return 1 }
        return Int(input.pointee.line)
    }

    func startElement(_ name: UnsafePointer<xmlChar>) {
        defer { depth += 1 }
        guard depth < limits.nestingDepth else {
            fail(
                message: "elements nested deeper than \(limits.nestingDepth) levels (the pipeline file's limits.nesting_depth)",
                line: line)
            if let context { xmlStopParser(context) }
            return
        }
        guard recordDepth >= 0 else {
            guard strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), recordElementName) == 0 else { return }
            recordDepth = depth
            recordLine = line
            openNodes.removeAll(keepingCapacity: true)
            node = ElementTree.root
            for index in texts.indices {
                texts[index].removeAll(keepingCapacity: true)
                closed[index] = false
            }
            sawText = false
            recordBytes = 0
            oversized = nil
            return
        }
        openNodes.append(node)
        node = node < 0 ? -1 : tree.child(of: node, named: name)
    }

    func endElement() {
        depth -= 1
        guard recordDepth >= 0 else { return }
        if depth == recordDepth {
            endRecord()
        } else if let parent = openNodes.popLast() {
            if node > 0 { closed[Int(node)] = true }
            node = parent
        }
    }

    func text(_ bytes: UnsafePointer<xmlChar>, count: Int) {
        guard recordDepth >= 0, count > 0 else { return }
        let chunk = UnsafeBufferPointer(start: bytes, count: count)
        if !sawText && !chunk.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            sawText = !String(decoding: chunk, as: UTF8.self).isBlank
        }
        let index = Int(node)
        guard index > 0, tree.isRead[index], !closed[index], oversized == nil else { return }
        // Over a limit, the record's text is dropped as it streams past, as the other readers do.
        recordBytes += count
        if texts[index].count + count > limits.cellBytes {
            oversized = "<\(tree.paths[index])> holds more than the \(ByteSize.text(limits.cellBytes)) a cell may hold"
        } else if recordBytes > limits.recordBytes {
            oversized = "the record holds more than the \(ByteSize.text(limits.recordBytes)) a record may hold"
        }
        if oversized != nil {
            for index in texts.indices { texts[index] = [] }
            return
        }
        texts[index].append(contentsOf: chunk)
    }

    func refuse() {
        refused = true
        if let context { xmlStopParser(context) }
    }

    func fail(message: String, line: Int) {
        fail(.malformed, message: "not well-formed XML: \(message.trimmingBlanks())", line: line)
    }

    /// The parser stopped before the end of the document without reporting an error: libxml2
    /// 2.9 does so when the bytes it is to decode next are not valid in the file's encoding
    /// (the push of a chunk fails, or the final flush does).
    func failUndecodable(status: Int32, line: Int) {
        let undecodable =
            status == Int32(XML_ERR_INVALID_ENCODING.rawValue)
            || context?.pointee.errNo == Int32(XML_PARSER_EOF.rawValue)
        guard undecodable else {
            fail(
                .malformed,
                message: "libxml2 stopped here (code \(status)) before the end of the document; nothing after it was read",
                line: line)
            return
        }
        // The name as the XML declaration gives it (`encoding="GBK"`), cut short: a message
        // quotes the file by a short excerpt at most.
        let declared = (context?.pointee.input?.pointee.encoding ?? context?.pointee.encoding).map {
            String(decoding: String(cString: $0).utf8.prefix(64), as: UTF8.self)
        }
        let encoding = declared.map { "valid \($0) (the encoding the file declares)" } ?? "valid in the file's encoding"
        fail(.badEncoding, message: "the file holds bytes that are not \(encoding) here; nothing after them was read", line: line)
    }

    private func fail(_ refusal: ReadRefusal, message: String, line: Int) {
        guard !failed, !refused else { return }
        failed = true
        let values = recordDepth >= 0 ? currentValues() : []
        recordDepth = -1
        results.append(
            .unreadable(
                UnreadableRecord(locator: .line(max(line, 1)), refusal: refusal, message: message, values: values)))
    }

    private func endRecord() {
        let locator = Locator.line(recordLine)
        recordDepth = -1
        if let oversized {
            results.append(.unreadable(UnreadableRecord(locator: locator, refusal: .tooLarge, message: oversized)))
        } else if !sawText {
            results.append(
                .unreadable(
                    UnreadableRecord(
                        locator: locator, refusal: .emptyRow,
                        message: "the <\(recordElement)> element holds no text")))
        } else {
            results.append(.record(SourceRecord(locator: locator, values: currentValues())))
        }
    }

    private func currentValues() -> [String] {
        // Each element's text is decoded once, however many columns read answers out of it.
        var decoded = [String?](repeating: nil, count: texts.count)
        func text(_ node: Int32) -> String? {
            let index = Int(node)
            guard index > 0, !texts[index].isEmpty else { return nil }
            if let text = decoded[index] { return text }
            let text = String(decoding: texts[index], as: UTF8.self)
            decoded[index] = text
            return text
        }
        // A column whose whole path names an element with text takes that text, labelled or not.
        var values = columns.indices.map { index in
            if let whole = text(wholeNode[index]) { return whole }
            return labelled[index].labels == nil ? text(baseNode[index]) ?? "" : ""
        }
        for group in labelledByBase where group.columns.contains(where: { values[$0].isEmpty }) {
            guard let base = text(group.node) else { continue }
            let answers = labelledValues(in: base, labelSets: group.labelSets)
            for (column, answer) in zip(group.columns, answers) where values[column].isEmpty { values[column] = answer }
        }
        return values
    }
}

/// The element paths columns read, as a tree below the record element (node 0): an element's
/// node is found from its parent's by comparing names as the parser hands them over, without
/// making a string of each.
private struct ElementTree {
    static let root: Int32 = 0
    /// Per node: its name (NUL-terminated), its `/`-separated path, its children, and whether a
    /// column reads its text.
    private var names: [[CChar]] = [[0]]
    private(set) var paths: [String] = [""]
    private var children: [[Int32]] = [[]]
    private(set) var isRead: [Bool] = [false]

    var count: Int { names.count }

    /// The node of `path` (`/`-separated), made as needed, and marked as read.
    mutating func insert(_ path: String) -> Int32 {
        var node = Self.root
        for name in path.split(separator: "/", omittingEmptySubsequences: false) {
            let cName = String(name).utf8CString.map { $0 }
            if let child = children[Int(node)].first(where: { names[Int($0)] == cName }) {
                node = child
                continue
            }
            let child = Int32(names.count)
            names.append(cName)
            paths.append(paths[Int(node)].isEmpty ? String(name) : paths[Int(node)] + "/" + name)
            children.append([])
            isRead.append(false)
            children[Int(node)].append(child)
            node = child
        }
        isRead[Int(node)] = true
        return node
    }

    /// The child of `parent` named `name`, or -1.
    func child(of parent: Int32, named name: UnsafePointer<xmlChar>) -> Int32 {
        let name = UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)
        for child in children[Int(parent)] where strcmp(names[Int(child)], name) == 0 { return child }
        return -1
    }
}
