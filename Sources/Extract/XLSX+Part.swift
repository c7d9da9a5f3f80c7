import CXML2
import Foundation

/// Receives the SAX events of one XML part of a workbook. Names are local names: transitional
/// and strict OOXML differ only in their namespaces.
class XLSXPartHandler {
    /// Set from a callback to stop parsing: the part refused (a DTD) or the consumer went away.
    fileprivate(set) var stopped = false
    fileprivate(set) var refusedDTD = false
    /// Why the part was refused, when it went over a limit (`holds more than 5 strings: …`).
    fileprivate(set) var refusal: String?
    /// The first error libxml2 reported, with its line in the part.
    fileprivate(set) var failure: (message: String, line: Int)?
    /// Where libxml2 reads the part from, while it is parsed.
    fileprivate var input: XLSXInflater?

    func start(_ name: XMLName, _ attributes: XMLAttributes) {}
    func end(_ name: XMLName) {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// Stops the parse from inside a callback (the sheet's consumer has gone away).
    final func stop() { stopped = true }

    /// Records a well-formedness error; the first one is the one reported.
    final func fail(_ message: String, line: Int) {
        if failure == nil { failure = (message, line) }
    }

    /// Refuses the part for going over a limit and stops the parse; the first reason is the one
    /// reported, after the part's path.
    final func refuse(_ reason: String) {
        if refusal == nil { refusal = reason }
        stopped = true
    }

    /// A DOCTYPE, an entity declaration or a reference to an unknown entity: no workbook part has
    /// any, and that is how XXE and entity-expansion payloads arrive. Stops the parse.
    final func refuseDTD() {
        refusedDTD = true
        stopped = true
    }
}

/// A local element or attribute name from libxml2 (or the sheet scanner), NUL-terminated.
struct XMLName {
    let bytes: UnsafePointer<UInt8>

    @inline(__always) func `is`(_ name: StaticString) -> Bool {
        strcmp(
            UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self),
            UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }
}

/// The attributes of a start tag as libxml2's SAX2 parser lays them out (and the sheet scanner
/// copies): five pointers each (local name, prefix, URI, value start, value end); values are not
/// NUL-terminated.
struct XMLAttributes {
    let pointers: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The raw bytes of the attribute with this local name (any prefix: `r:id` is `id`).
    func bytes(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        for index in 0..<count {
            if let local = localName(at: index), local.is(name) { return value(at: index) }
        }
        return nil
    }

    /// The local name of the attribute at `index` (0..<count).
    @inline(__always) func localName(at index: Int) -> XMLName? {
        pointers?[index * 5].map(XMLName.init)
    }

    /// The raw value of the attribute at `index` (0..<count).
    @inline(__always) func value(at index: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let base = pointers.map({ $0 + index * 5 }), let start = base[3], let end = base[4] else { return nil }
        return UnsafeBufferPointer(start: start, count: end - start)
    }

    /// The attribute's text. Without entity substitution libxml2 hands an escaped `&` in an
    /// attribute over as `&#38;` (a sheet named `R&D`): undone here, every other escape is.
    func string(_ name: StaticString) -> String? {
        guard let bytes = bytes(name) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return bytes.contains(0x26) ? text.replacingOccurrences(of: "&#38;", with: "&") : text
    }

    /// A non-negative decimal attribute (`s="3"`, `r="12"`); nil when absent or not digits.
    func integer(_ name: StaticString) -> Int? {
        bytes(name).flatMap(XLSXValues.integer)
    }
}

extension XLSXPackage {
    /// libxml2's options: no network; `XML_PARSE_HUGE` because a large shared-strings table
    /// legitimately exceeds libxml2's default limits. Entities are never
    /// substituted (no `XML_PARSE_NOENT`), and a DTD stops the parse (see `parse`).
    static let xmlOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)

    /// Parses the part at `partPath` with libxml2 as it inflates (see `XLSXInflater`), never
    /// holding more than a few chunks of it.
    ///
    /// Throws on a missing part, a limit, a damaged entry, a DTD, or malformed XML. `streamed`:
    /// the handler keeps no more than its own limits allow (the shared strings), and the part is
    /// held to `maxEntrySize`, not `maxSmallPartSize`.
    func parse(_ partPath: String, with handler: XLSXPartHandler, streamed: Bool = false) throws(ExtractError) {
        try read(partPath, with: handler, streamed: streamed, failOnXMLError: true) { user in
            cb_xml_silence_thread()
            var sax = Self.saxHandler()
            guard let context = xmlCreateIOParserCtxt(&sax, user, Self.readInput, nil, user, XML_CHAR_ENCODING_NONE) else {
                handler.fail("libxml2 cannot start parsing \(partPath)", line: 0)
                return
            }
            xmlCtxtUseOptions(context, Self.xmlOptions)
            xmlParseDocument(context)
            xmlFreeParserCtxt(context)
        }
    }

    /// Reads a worksheet part with `XLSXSheetScanner`. XML errors are left in the handler: the
    /// sheet reports them with the rows read before them.
    func scanSheet(_ partPath: String, with handler: XLSXPartHandler) throws(ExtractError) {
        try read(partPath, with: handler, streamed: true, failOnXMLError: false) { _ in
            guard let input = handler.input else { return }
            var scanner = XLSXSheetScanner(input: input, handler: handler)
            scanner.run()
        }
    }

    /// Inflates the part for `parse` (which gets the handler as libxml2's user pointer), then
    /// turns how inflating and parsing ended into an error.
    private func read(
        _ partPath: String, with handler: XLSXPartHandler, streamed: Bool, failOnXMLError: Bool,
        _ parse: (UnsafeMutableRawPointer) -> Void
    ) throws(ExtractError) {
        let entry = try requiredEntry(partPath)
        let inflater = XLSXInflater(self, entry, maxSize: limits.maxSize(streamed: streamed).bytes)
        handler.input = inflater
        defer { handler.input = nil }
        parse(Unmanaged.passUnretained(handler).toOpaque())

        let outcome = inflater.close()
        try checkInflated(outcome, partPath, streamed: streamed)
        if let refusal = handler.refusal {
            throw ExtractError(.unsupported, file: path, "\(partPath) \(refusal)")
        }
        if handler.refusedDTD {
            throw ExtractError(
                .unsupported, file: path,
                """
                \(partPath) declares a DTD/entities; crmbridge never expands them (XXE and entity-expansion \
                attacks arrive this way): save the workbook again from Excel or LibreOffice
                """)
        }
        if failOnXMLError, let failure = handler.failure {
            throw ExtractError(
                .cannotRead, file: path,
                "\(partPath) is not well-formed XML (line \(failure.line)): \(failure.message)")
        }
        // Only a part read to its end has a checksum to compare.
        if !handler.stopped, handler.failure == nil { try checkIntegrity(outcome, of: entry, partPath) }
    }

    func requiredEntry(_ partPath: String) throws(ExtractError) -> ZipArchive.Entry {
        guard let entry = entry(partPath) else {
            throw ExtractError(.cannotRead, file: path, "the workbook has no part \(partPath): the file is damaged")
        }
        return entry
    }

    /// Turns a limit the inflater hit, or damage it found, into the file's error.
    func checkInflated(_ outcome: XLSXInflater.Outcome, _ partPath: String, streamed: Bool) throws(ExtractError) {
        switch outcome {
        case .tooLarge:
            let limit = limits.maxSize(streamed: streamed)
            throw ExtractError(
                .unsupported, file: path,
                """
                \(partPath) inflates to more than \(ByteSize.text(limit.bytes)): refused as a possible zip bomb; \
                split the workbook, or raise the limit (\(XLSXReader.Limits.named(limit.name)))
                """)
        case .ratio:
            throw ExtractError(
                .unsupported, file: path,
                """
                \(partPath) inflates more than \(limits.maxRatio) times its compressed size: refused as a possible \
                zip bomb; raise the limit if the workbook is genuine (\(XLSXReader.Limits.named("maxRatio")))
                """)
        case .damaged(let error):
            throw ExtractError(.cannotRead, file: path, "\(partPath) cannot be inflated: the file is damaged (\(error))")
        case .finished, .closed:
            break
        }
    }

    /// A part inflated to its end must match its zip directory record: the CRC-32 and the size.
    func checkIntegrity(_ outcome: XLSXInflater.Outcome, of entry: ZipArchive.Entry, _ partPath: String) throws(ExtractError) {
        guard case .finished(let checksum, let size) = outcome else { return }
        if checksum != entry.checksum {
            throw ExtractError(.cannotRead, file: path, "\(partPath) fails its CRC check: the file is damaged")
        }
        if size != UInt64(entry.uncompressedSize) {
            throw ExtractError(
                .cannotRead, file: path,
                """
                \(partPath) inflates to \(size) bytes where the zip directory says \(entry.uncompressedSize): \
                the file is damaged
                """)
        }
    }

    private static func saxHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { user, name, _, _, _, _, count, _, attributes in
            guard let user, let name else { return }
            withHandler(user) { $0.start(XMLName(bytes: name), XMLAttributes(pointers: attributes, count: Int(count))) }
        }
        sax.endElementNs = { user, name, _, _ in
            guard let user, let name else { return }
            withHandler(user) { $0.end(XMLName(bytes: name)) }
        }
        sax.characters = { user, text, count in
            guard let user, let text, count > 0 else { return }
            withHandler(user) { $0.text(UnsafeBufferPointer(start: text, count: Int(count))) }
        }
        sax.cdataBlock = sax.characters
        sax.internalSubset = { user, _, _, _ in
            if let user { handlerOf(user).refuseDTD() }
        }
        sax.externalSubset = sax.internalSubset
        sax.entityDecl = { user, _, _, _, _, _ in
            if let user { handlerOf(user).refuseDTD() }
        }
        sax.reference = { user, _ in
            if let user { handlerOf(user).refuseDTD() }
        }
        sax.serror = { user, error in
            guard let user, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            handlerOf(user).fail(message.trimmingBlanks(), line: Int(error.pointee.line))
        }
        return sax
    }

    /// libxml2 pulls the part from the inflater; it stops reading once the handler stopped or
    /// saw an error, as it would otherwise read the rest of the part with its callbacks off.
    private static let readInput: xmlInputReadCallback = { user, buffer, count in
        guard let user, let buffer, count > 0 else { return 0 }
        let handler = handlerOf(user)
        guard !handler.stopped, handler.failure == nil, let input = handler.input else { return -1 }
        return Int32(input.read(into: buffer, count: Int(count)))
    }
}

private func handlerOf(_ pointer: UnsafeMutableRawPointer) -> XLSXPartHandler {
    Unmanaged<XLSXPartHandler>.fromOpaque(pointer).takeUnretainedValue()
}

/// The same, lent to `body` without the retain and release a reference costs: `parse` keeps the
/// handler alive, and a sheet makes some 90 of these callbacks a row.
@inline(__always) private func withHandler(_ pointer: UnsafeMutableRawPointer, _ body: (XLSXPartHandler) -> Void) {
    Unmanaged<XLSXPartHandler>.fromOpaque(pointer)._withUnsafeGuaranteedRef(body)
}
