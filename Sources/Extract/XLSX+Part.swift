import CXML2
import CCRC32
import Foundation
import ZIPFoundation

/// Receives the SAX events of one XML part of a workbook. Names are local names: transitional
/// and strict OOXML differ only in their namespaces.
class XLSXPartHandler {
    /// Set from a callback to stop parsing: the part refused (a DTD) or the consumer went away.
    fileprivate(set) var stopped = false
    fileprivate(set) var refusedDTD = false
    /// The first error libxml2 reported, with its line in the part.
    fileprivate(set) var failure: (message: String, line: Int)?

    func start(_ name: XMLName, _ attributes: XMLAttributes) {}
    func end(_ name: XMLName) {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// Stops the parse from inside a callback (the sheet's consumer has gone away).
    final func stop() { stopped = true }
}

/// A local element or attribute name from libxml2, NUL-terminated.
struct XMLName {
    let bytes: UnsafePointer<UInt8>

    @inline(__always) func `is`(_ name: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }
}

/// The attributes of a SAX2 start tag: five pointers each (local name, prefix, URI, value
/// start, value end); values are not NUL-terminated.
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

/// Why inflating an entry stopped before its end.
private enum InflateStop: Error {
    case tooLarge, ratio, parserStopped
}

extension XLSXPackage {
    /// libxml2's options: no network; `XML_PARSE_HUGE` because a sheet's text nodes and the
    /// shared-strings table legitimately exceed libxml2's default limits. Entities are never
    /// substituted (no `XML_PARSE_NOENT`), and a DTD stops the parse (see `parse`).
    static let xmlOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)

    /// Inflates the part at `partPath` chunk by chunk into libxml2's push parser, never holding
    /// more than one chunk of it. Enforces the size and ratio limits on the bytes actually
    /// inflated: the sizes in the zip headers are the attacker's to choose.
    ///
    /// Throws on a missing part, a limit, a damaged entry, a DTD, or (when `failOnXMLError`)
    /// malformed XML; the sheet sets it false and reports its own, with the rows read so far.
    func parse(_ partPath: String, with handler: XLSXPartHandler, failOnXMLError: Bool = true) throws(ExtractError) {
        guard let entry = entry(partPath) else {
            throw ExtractError(.cannotRead, file: path, "the workbook has no part \(partPath): the file is damaged")
        }
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { user, name, _, _, _, _, count, _, attributes in
            guard let user, let name else { return }
            handlerOf(user).start(XMLName(bytes: name), XMLAttributes(pointers: attributes, count: Int(count)))
        }
        sax.endElementNs = { user, name, _, _ in
            guard let user, let name else { return }
            handlerOf(user).end(XMLName(bytes: name))
        }
        sax.characters = { user, text, count in
            guard let user, let text, count > 0 else { return }
            handlerOf(user).text(UnsafeBufferPointer(start: text, count: Int(count)))
        }
        sax.cdataBlock = sax.characters
        // A DOCTYPE, an entity declaration or a reference to an unknown entity: no workbook
        // part has any, and that is how XXE and entity-expansion payloads arrive.
        sax.internalSubset = { user, _, _, _ in
            guard let user else { return }
            let handler = handlerOf(user)
            handler.refusedDTD = true
            handler.stopped = true
        }
        sax.externalSubset = sax.internalSubset
        sax.entityDecl = { user, _, _, _, _, _ in
            guard let user else { return }
            handlerOf(user).refusedDTD = true
            handlerOf(user).stopped = true
        }
        sax.reference = { user, _ in
            guard let user else { return }
            handlerOf(user).refusedDTD = true
            handlerOf(user).stopped = true
        }
        sax.serror = { user, error in
            guard let user, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let handler = handlerOf(user)
            if handler.failure == nil {
                let message = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
                handler.failure = (message.trimmingBlanks(), Int(error.pointee.line))
            }
        }
        guard let context = xmlCreatePushParserCtxt(&sax, Unmanaged.passUnretained(handler).toOpaque(), nil, 0, partPath)
        else { throw ExtractError(.cannotRead, file: path, "libxml2 cannot start parsing \(partPath)") }
        defer { xmlFreeParserCtxt(context) }
        xmlCtxtUseOptions(context, Self.xmlOptions)

        // Compressed bytes cannot exceed the file: a bound on the ratio no header can inflate.
        let compressed = max(1, min(entry.compressedSize, fileSize))
        var inflated: UInt64 = 0
        // nil when parsing stopped early: the entry was not read to its end.
        var checksum: CRC32?
        // ZIPFoundation's CRC-32 is a byte-at-a-time table in Swift on Linux, about a tenth of a
        // sheet's reading time: it is skipped there and zlib's computed here, on the same bytes.
        var crc: UInt32 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
                inflated += UInt64(data.count)
                if inflated > limits.maxEntrySize { throw InflateStop.tooLarge }
                if inflated > limits.ratioFloor && inflated / compressed > limits.maxRatio { throw InflateStop.ratio }
                data.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress, raw.count > 0 else { return }
                    crc = cb_crc32(crc, base.assumingMemoryBound(to: UInt8.self), raw.count)
                    xmlParseChunk(context, base.assumingMemoryBound(to: CChar.self), Int32(raw.count), 0)
                }
                if handler.stopped || handler.failure != nil { throw InflateStop.parserStopped }
            }
            checksum = crc
            xmlParseChunk(context, nil, 0, 1)
        } catch InflateStop.tooLarge {
            throw ExtractError(.unsupported, file: path, """
                \(partPath) inflates to more than \(Self.size(limits.maxEntrySize)): refused as a possible \
                zip bomb (split the workbook, or raise the limit)
                """)
        } catch InflateStop.ratio {
            throw ExtractError(.unsupported, file: path, """
                \(partPath) inflates more than \(limits.maxRatio) times its compressed size: refused as a \
                possible zip bomb
                """)
        } catch InflateStop.parserStopped {
            checksum = nil
        } catch {
            throw ExtractError(.cannotRead, file: path, "\(partPath) cannot be inflated: the file is damaged (\(error))")
        }
        if handler.refusedDTD {
            throw ExtractError(.unsupported, file: path, """
                \(partPath) declares a DTD/entities; crmbridge never expands them (XXE and entity-expansion \
                attacks arrive this way): save the workbook again from Excel or LibreOffice
                """)
        }
        if failOnXMLError, let failure = handler.failure {
            throw ExtractError(.cannotRead, file: path,
                               "\(partPath) is not well-formed XML (line \(failure.line)): \(failure.message)")
        }
        if let checksum, checksum != entry.checksum {
            throw ExtractError(.cannotRead, file: path, "\(partPath) fails its CRC check: the file is damaged")
        }
    }

    /// `2 GiB`, `64 KiB`.
    static func size(_ bytes: UInt64) -> String {
        for (unit, shift) in [("GiB", UInt64(30)), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }
}

private func handlerOf(_ pointer: UnsafeMutableRawPointer) -> XLSXPartHandler {
    Unmanaged<XLSXPartHandler>.fromOpaque(pointer).takeUnretainedValue()
}
