import CXML2
import Glibc

/// The record layout of an XML file of pushes, read from its first part: which element holds one
/// record and which child elements hold text. `crmbridge init` proposes them as `record_element`
/// and the columns; `XMLReader` then reads the values.
///
/// ```swift
/// let layout = try XMLReader.structure(path: "wechat.xml")
/// layout?.recordElement   // "xml"
/// layout?.paths           // ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId"]
/// ```
package struct XMLStructure: Sendable, Equatable {
    package var recordElement: String
    /// Child element paths below the record element that hold text (`a/b` when nested), in the
    /// order they first appear.
    package var paths: [String]
    /// Record elements seen in the part read.
    package var records: Int
}

extension XMLReader {
    /// The record element is the shallowest element that repeats and holds child elements (the
    /// `<xml>` of `<pushes><xml>…</xml><xml>…</xml></pushes>`); a file of one record is its root.
    /// Reads at most `maxBytes`; nil when the part read holds no element with children. Like the
    /// reader, it refuses a document that declares a DTD.
    package static func structure(path: String, maxBytes: Int = 4 << 20) throws(ExtractError) -> XMLStructure? {
        let head = try readHead(path, bytes: maxBytes)
        let state = StructureState()
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { user, name, _, _, _, _, _, _, _ in
            guard let user, let name else { return }
            StructureState.of(user).start(String(cString: name))
        }
        handler.endElementNs = { user, _, _, _ in
            guard let user else { return }
            StructureState.of(user).end()
        }
        handler.characters = { user, text, count in
            guard let user, let text else { return }
            StructureState.of(user).text(UnsafeBufferPointer(start: text, count: Int(count)))
        }
        handler.cdataBlock = handler.characters
        handler.internalSubset = { user, _, _, _ in
            guard let user else { return }
            StructureState.of(user).refused = true
        }
        handler.externalSubset = handler.internalSubset
        handler.entityDecl = { user, _, _, _, _, _ in
            guard let user else { return }
            StructureState.of(user).refused = true
        }
        handler.reference = { user, _ in
            guard let user else { return }
            StructureState.of(user).refused = true
        }
        // Errors end the sample where they are: a truncated sample is the rule, not the exception.
        handler.serror = { _, _ in }
        cb_xml_silence_thread()
        let context = head.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                xmlCreatePushParserCtxt(
                    &handler, Unmanaged.passUnretained(state).toOpaque(), chars.baseAddress,
                    Int32(min(chars.count, 4)), path)
            }
        }
        guard let context else { throw ExtractError(.cannotRead, file: path, "libxml2 cannot start parsing the file") }
        defer { xmlFreeParserCtxt(context) }
        xmlCtxtUseOptions(context, XMLReader.options)
        if head.count > 4 {
            head.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    _ = xmlParseChunk(context, chars.baseAddress! + 4, Int32(chars.count - 4), 0)
                }
            }
        }
        if state.refused {
            throw ExtractError(
                .unsupported, file: path,
                """
                the file declares a DTD/entities; crmbridge never expands them (XXE and entity-expansion \
                attacks arrive this way): export the pushes without a DOCTYPE
                """)
        }
        return state.structure()
    }
}

/// What the structure's SAX callbacks collect: per element path from the root, how often it
/// closed, whether it held child elements or text.
private final class StructureState {
    struct Seen {
        var count = 0
        var hasChildren = false
        var hasText = false
        var order: Int
    }

    var refused = false
    private var stack: [String] = []
    private var textSeen: [Bool] = []
    private var seen: [String: Seen] = [:]
    /// Elements open below the sampled depth.
    private var unsampled = 0

    static func of(_ pointer: UnsafeMutableRawPointer) -> StructureState {
        Unmanaged<StructureState>.fromOpaque(pointer).takeUnretainedValue()
    }

    func start(_ name: String) {
        // Deeper than 64 levels nothing is sampled; `end` must then not pop a shallower level.
        guard stack.count < 64 else {
            unsampled += 1
            return
        }
        if let parent = stack.last {
            let order = seen.count
            seen[parent, default: Seen(order: order)].hasChildren = true
        }
        stack.append(stack.last.map { "\($0)/\(name)" } ?? name)
        textSeen.append(false)
    }

    func end() {
        if unsampled > 0 {
            unsampled -= 1
            return
        }
        guard let path = stack.popLast(), let hadText = textSeen.popLast() else { return }
        let order = seen.count
        seen[path, default: Seen(order: order)].count += 1
        if hadText { seen[path]?.hasText = true }
    }

    func text(_ bytes: UnsafeBufferPointer<xmlChar>) {
        guard !textSeen.isEmpty, !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return }
        textSeen[textSeen.count - 1] = true
    }

    func structure() -> XMLStructure? {
        func depth(_ path: String) -> Int { path.split(separator: "/").count }
        let containers = seen.filter { $0.value.hasChildren }
        let repeated = containers.filter { $0.value.count >= 2 }
        let pool = repeated.isEmpty ? containers : repeated
        guard let record = pool.min(by: { (depth($0.key), -$0.value.count) < (depth($1.key), -$1.value.count) }) else {
            return nil
        }
        let prefix = record.key + "/"
        let paths = seen.filter { $0.key.hasPrefix(prefix) && $0.value.hasText }
            .sorted { $0.value.order < $1.value.order }
            .map { String($0.key.dropFirst(prefix.count)) }
        let name = record.key.split(separator: "/").last.map(String.init) ?? record.key
        return XMLStructure(recordElement: name, paths: paths, records: record.value.count)
    }
}
