import Foundation

/// Tokenizes a worksheet part and hands its elements and text to the sheet's handler, in the
/// shapes libxml2's SAX2 parser gives them (`XMLName`, `XMLAttributes`), so the handler cannot
/// tell the two apart.
///
/// Why a scanner of its own for the sheet, when libxml2 reads every other part: the sheet is the
/// part that grows with the rows, and its grammar is tiny (`<row>`, `<c r s t>`, `<v>`, `<is>`).
/// libxml2's SAX machinery (name interning, namespace bookkeeping, its input layers) spent about
/// 400 ns a cell, which held reading to about 105k rows/s on its thread; this spends a fraction.
///
/// It is as strict as the reader needs: well-formed nesting (an end tag must close the element
/// it names), the five XML entities and character references only (anything else is an error,
/// so nothing is ever expanded), any DTD (`<!DOCTYPE`, `<!ENTITY`) refused, UTF-8 only (what
/// every spreadsheet program writes), and a document that breaks off is reported with its line.
/// Comments and processing instructions are skipped; CDATA is text.
struct XLSXSheetScanner: ~Copyable {
    private let input: XLSXInflater
    private let handler: XLSXPartHandler

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The next unread byte, and the end of the bytes read so far.
    private var position = 0
    private var end = 0
    private var inputEnded = false
    /// The line of `buffer[0]`, counted over the bytes already let go of.
    private var firstLine = 1

    /// The open elements' qualified names, each NUL-terminated (so that its local part is an
    /// `XMLName` as it is), innermost last.
    private var openNames: UnsafeMutablePointer<UInt8>
    private var openNamesCapacity = 1024
    private var openCount = 0
    private var frames: [Frame] = []
    private var sawRoot = false

    /// Attribute names made NUL-terminated, and values or text with their entities replaced.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 4096
    private var attributes: [Attribute] = []
    /// The attributes as libxml2 lays them out: five pointers each.
    private var attributePointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    private var attributeCapacity = 16

    /// The buffer's size at most to begin with; it doubles (to `maxToken`) for a longer token.
    static let initialCapacity = 1 << 18
    /// The longest single tag, comment or CDATA section: far beyond any real sheet's.
    static let maxToken = 16 << 20
    static let maxDepth = 256

    private struct Frame {
        /// Into `openNames`: the qualified name, and where its local part starts.
        var start: Int
        var local: Int
        var end: Int
    }

    private enum Value {
        case input(start: Int, end: Int)
        case scratch(start: Int, end: Int)
    }

    private struct Attribute {
        /// Into `scratch`: the NUL-terminated local name.
        var name: Int
        var value: Value
    }

    private enum Step { case done, incomplete, failed }

    init(input: XLSXInflater, handler: XLSXPartHandler) {
        self.input = input
        self.handler = handler
        capacity = Self.startingCapacity(input.sizeHint)
        buffer = .allocate(capacity: capacity)
        openNames = .allocate(capacity: openNamesCapacity)
        scratch = .allocate(capacity: scratchCapacity)
        attributePointers = .allocate(capacity: attributeCapacity * 5)
        frames.reserveCapacity(8)
    }

    deinit {
        buffer.deallocate()
        openNames.deallocate()
        scratch.deallocate()
        attributePointers.deallocate()
    }

    /// Room for the whole part and a byte when it is smaller than `initialCapacity` (a power of
    /// two, as `initialCapacity` is: doubling reaches `maxToken` exactly), 4 KiB at least. A part
    /// that fits reads in the same pieces as in a full-sized buffer.
    static func startingCapacity(_ sizeHint: Int) -> Int {
        let needed = min(sizeHint, initialCapacity) + 1
        return min(initialCapacity, max(1 << 12, 1 << (Int.bitWidth - (needed - 1).leadingZeroBitCount)))
    }

    /// Reads the part to its end, or until the handler stops or the XML fails (`handler.failure`).
    mutating func run() {
        guard startDocument() else { return }
        while !handler.stopped, handler.failure == nil {
            if position == end, !refill() { break }
            if buffer[position] == .lessThan {
                switch markup() {
                case .done, .failed:
                    continue
                case .incomplete:
                    if refill() { continue }
                    return fail("the XML breaks off inside a tag", at: position)
                }
            } else {
                text()
            }
        }
        guard !handler.stopped, handler.failure == nil else { return }
        if let innermost = frames.last {
            let name = Self.excerpt(
                UnsafeBufferPointer(start: openNames + innermost.start, count: innermost.end - innermost.start))
            fail("premature end of data inside <\(name)>", at: end)
        } else if !sawRoot {
            fail("the part has no root element", at: end)
        }
    }

    // MARK: - Input

    /// A UTF-8 byte order mark is skipped; UTF-16 (never written by a spreadsheet program) refused.
    private mutating func startDocument() -> Bool {
        while end < 3, !inputEnded { _ = refill() }
        if end >= 2, (buffer[0] == 0xFE && buffer[1] == 0xFF) || (buffer[0] == 0xFF && buffer[1] == 0xFE) {
            fail("the part is UTF-16: crmbridge reads worksheets in UTF-8, as Excel and LibreOffice write them", at: 0)
            return false
        }
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        return true
    }

    /// Moves the unread bytes to the front and reads more after them; false once the part ended.
    private mutating func refill() -> Bool {
        if inputEnded { return false }
        if position > 0 {
            firstLine += Self.lines(in: buffer, count: position)
            buffer.update(from: buffer + position, count: end - position)
            end -= position
            position = 0
        }
        if end == capacity {
            guard capacity < Self.maxToken else {
                fail("a tag, comment or CDATA section longer than \(ByteSize.text(Self.maxToken))", at: 0)
                return false
            }
            Self.grow(&buffer, from: end, to: capacity * 2)
            capacity *= 2
        }
        let count = input.read(into: buffer + end, count: capacity - end)
        if count == 0 {
            inputEnded = true
            return false
        }
        end += count
        return true
    }

    // MARK: - Text

    /// Character data up to the next tag. Text that runs past the bytes read so far goes out in
    /// pieces (an unfinished entity waits for the rest), so a long text never grows the buffer.
    private mutating func text() {
        let start = position
        if let lessThan = find(.lessThan, from: start) {
            position = lessThan
            return characters(start, lessThan)
        }
        if inputEnded {
            position = end
            return characters(start, end)
        }
        var cut = end
        if let ampersand = unfinishedEntity(from: start) { cut = ampersand }
        position = cut
        if cut > start { characters(start, cut) }
        _ = refill()
    }

    private mutating func characters(_ start: Int, _ stop: Int) {
        guard !frames.isEmpty else {
            if !(start..<stop).allSatisfy({ buffer[$0].isXMLBlank }) { fail("text outside the root element", at: start) }
            return
        }
        guard find(.ampersand, from: start, before: stop) != nil else {
            return handler.text(UnsafeBufferPointer(start: buffer + start, count: stop - start))
        }
        guard let decoded = decode(start, stop, into: 0) else { return }
        handler.text(UnsafeBufferPointer(start: scratch, count: decoded))
    }

    /// Copies `buffer[start..<stop]` to `scratch` from `offset` on, entities replaced; the end of
    /// what it wrote, or nil after reporting an entity it does not know.
    private mutating func decode(_ start: Int, _ stop: Int, into offset: Int) -> Int? {
        var out = offset
        var index = start
        reserveScratch(out + (stop - start))
        while index < stop {
            let byte = buffer[index]
            guard byte == .ampersand else {
                scratch[out] = byte
                out += 1
                index += 1
                continue
            }
            guard let semicolon = find(.semicolon, from: index + 1, before: min(stop, index + 12)) else {
                fail("an & that starts no entity (write &amp;)", at: index)
                return nil
            }
            let name = UnsafeBufferPointer(start: buffer + index + 1, count: semicolon - index - 1)
            guard let scalar = Self.entity(name) else {
                let text = String(decoding: name, as: UTF8.self)
                fail("unknown entity &\(text); (a worksheet uses only &amp; &lt; &gt; &quot; &apos; and &#…;)", at: index)
                return nil
            }
            for unit in UTF8.encode(scalar)! {  // at most 4 bytes, never more than the entity took
                scratch[out] = unit
                out += 1
            }
            index = semicolon + 1
        }
        return out
    }

    private static func entity(_ name: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        switch String(decoding: name, as: UTF8.self) {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case let reference where reference.hasPrefix("#x"):
            return UInt32(reference.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).flatMap(validCharacter)
        case let reference where reference.hasPrefix("#"):
            return UInt32(reference.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).flatMap(validCharacter)
        default: return nil
        }
    }

    /// XML 1.0 has no NUL and no other C0 control but tab, newline and carriage return.
    private static func validCharacter(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        scalar.value >= 0x20 || scalar == "\t" || scalar == "\n" || scalar == "\r" ? scalar : nil
    }

    // MARK: - Markup

    /// A tag, comment, CDATA section or processing instruction at `position`.
    private mutating func markup() -> Step {
        guard position + 1 < end else { return .incomplete }
        switch buffer[position + 1] {
        case .slash: return endTag()
        case .question: return processingInstruction()
        case .exclamation: return declaration()
        default: return startTag()
        }
    }

    /// Skipped, but for the XML declaration's encoding: a part in anything but UTF-8 is refused
    /// rather than read as the wrong characters.
    private mutating func processingInstruction() -> Step {
        guard let close = find("?>", from: position + 2) else { return .incomplete }
        if !sawRoot, starts(with: "<?xml "), let encoding = declaredEncoding(position, close),
            !["utf-8", "utf8"].contains(encoding.lowercased())
        {
            fail(
                "the part declares encoding \(Self.excerpt(encoding.utf8)): crmbridge reads worksheets in UTF-8, as Excel and LibreOffice write them",
                at: position)
            return .failed
        }
        position = close + 2
        return .done
    }

    private func declaredEncoding(_ start: Int, _ stop: Int) -> String? {
        let declaration = string(start, stop)
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    private mutating func declaration() -> Step {
        if starts(with: "<!--") { return skip(past: "-->", from: position + 4) }
        if starts(with: "<![CDATA[") {
            guard let close = find("]]>", from: position + 9) else { return .incomplete }
            let start = position + 9
            position = close + 3
            guard !frames.isEmpty else {
                fail("CDATA outside the root element", at: start)
                return .failed
            }
            handler.text(UnsafeBufferPointer(start: buffer + start, count: close - start))
            return .done
        }
        // Too short to tell yet: wait for more, unless there is no more.
        if end - position < 9, !inputEnded { return .incomplete }
        handler.refuseDTD()
        return .failed
    }

    private mutating func skip(past terminator: StaticString, from start: Int) -> Step {
        guard let found = find(terminator, from: start) else { return .incomplete }
        position = found + terminator.utf8CodeUnitCount
        return .done
    }

    private mutating func endTag() -> Step {
        guard let greaterThan = find(.greaterThan, from: position + 2) else { return .incomplete }
        var nameEnd = greaterThan
        while nameEnd > position + 2, buffer[nameEnd - 1].isXMLBlank { nameEnd -= 1 }
        let nameStart = position + 2
        guard let frame = frames.last else {
            fail("</\(excerpt(nameStart, nameEnd))> closes no element", at: position)
            return .failed
        }
        let open = frame.end - frame.start
        guard nameEnd - nameStart == open, memcmp(buffer + nameStart, openNames + frame.start, open) == 0 else {
            let name = Self.excerpt(UnsafeBufferPointer(start: openNames + frame.start, count: open))
            fail("</\(excerpt(nameStart, nameEnd))> where </\(name)> was expected", at: position)
            return .failed
        }
        position = greaterThan + 1
        closeElement()
        return .done
    }

    private mutating func closeElement() {
        let frame = frames.removeLast()
        handler.end(XMLName(bytes: openNames + frame.local))
        openCount = frame.start
    }

    private mutating func startTag() -> Step {
        var index = position + 1
        guard let (nameStart, nameEnd, local) = name(at: &index) else { return refusedName(index) }
        attributes.removeAll(keepingCapacity: true)
        var scratchUsed = 0
        var selfClosing = false
        while true {
            let blank = index
            while index < end, buffer[index].isXMLBlank { index += 1 }
            guard index < end else { return .incomplete }
            if buffer[index] == .greaterThan { break }
            if buffer[index] == .slash {
                guard index + 1 < end else { return .incomplete }
                guard buffer[index + 1] == .greaterThan else { return malformedTag(index) }
                selfClosing = true
                index += 1
                break
            }
            guard index > blank else { return malformedTag(index) }
            guard let (attributeStart, attributeEnd, attributeLocal) = name(at: &index) else { return refusedName(index) }
            while index < end, buffer[index].isXMLBlank { index += 1 }
            guard index < end else { return .incomplete }
            guard buffer[index] == .equals else { return malformedTag(index) }
            index += 1
            while index < end, buffer[index].isXMLBlank { index += 1 }
            guard index < end else { return .incomplete }
            let quote = buffer[index]
            guard quote == .quote || quote == .apostrophe else { return malformedTag(index) }
            guard let close = find(quote, from: index + 1) else { return .incomplete }
            let valueStart = index + 1
            index = close + 1
            if find(.lessThan, from: valueStart, before: close) != nil { return malformedTag(valueStart) }
            // Namespace declarations are not attributes to a SAX2 handler.
            if buffer[attributeStart] == 0x78, isNamespaceDeclaration(attributeStart, attributeEnd) { continue }

            let nameOffset = scratchUsed
            let localCount = attributeEnd - attributeLocal
            reserveScratch(scratchUsed + localCount + 1)
            (scratch + scratchUsed).update(from: buffer + attributeLocal, count: localCount)
            scratch[scratchUsed + localCount] = 0
            scratchUsed += localCount + 1
            var value = Value.input(start: valueStart, end: close)
            if find(.ampersand, from: valueStart, before: close) != nil {
                guard let decodedEnd = decode(valueStart, close, into: scratchUsed) else { return .failed }
                value = .scratch(start: scratchUsed, end: decodedEnd)
                scratchUsed = decodedEnd
            }
            attributes.append(Attribute(name: nameOffset, value: value))
        }
        guard frames.count < Self.maxDepth else {
            fail("elements nested deeper than \(Self.maxDepth)", at: position)
            return .failed
        }
        if frames.isEmpty {
            guard !sawRoot else {
                fail("a second root element after the first ended", at: position)
                return .failed
            }
            sawRoot = true
        }
        position = index + 1
        open(nameStart, nameEnd, local)
        let frame = frames[frames.count - 1]
        handler.start(XMLName(bytes: openNames + frame.local), attributeList())
        if selfClosing, !handler.stopped { closeElement() }
        return .done
    }

    /// A name at `index` (moved past it): its bounds and where its local part starts, after any
    /// prefix. nil when it is cut off by the end of the bytes read (`index` at the end) or
    /// malformed (`index` not at the end).
    private func name(at index: inout Int) -> (start: Int, end: Int, local: Int)? {
        let start = index
        var local = start
        while index < end {
            switch buffer[index] {
            case .greaterThan, .slash, .equals, 0x20, 0x09, 0x0A, 0x0D:
                return index > start && local < index ? (start, index, local) : nil
            case .colon:
                local = index + 1
            case .lessThan, .ampersand, .quote, .apostrophe:
                return nil
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// What a name that `name(at:)` refused means: more bytes to come, or a malformed tag.
    private mutating func refusedName(_ index: Int) -> Step {
        index >= end ? .incomplete : malformedTag(index)
    }

    private mutating func malformedTag(_ index: Int) -> Step {
        fail("malformed tag", at: index)
        return .failed
    }

    private mutating func open(_ start: Int, _ stop: Int, _ local: Int) {
        let count = stop - start
        if openCount + count + 1 > openNamesCapacity {
            let larger = max(openNamesCapacity * 2, openCount + count + 1)
            Self.grow(&openNames, from: openCount, to: larger)
            openNamesCapacity = larger
        }
        (openNames + openCount).update(from: buffer + start, count: count)
        openNames[openCount + count] = 0
        frames.append(Frame(start: openCount, local: openCount + (local - start), end: openCount + count))
        openCount += count + 1
    }

    private mutating func attributeList() -> XMLAttributes {
        if attributes.count > attributeCapacity {
            attributePointers.deallocate()
            attributeCapacity = attributes.count
            attributePointers = .allocate(capacity: attributeCapacity * 5)
        }
        for (index, attribute) in attributes.enumerated() {
            let slot = attributePointers + index * 5
            slot[0] = UnsafePointer(scratch + attribute.name)
            slot[1] = nil
            slot[2] = nil
            switch attribute.value {
            case .input(let start, let stop):
                slot[3] = UnsafePointer(buffer + start)
                slot[4] = UnsafePointer(buffer + stop)
            case .scratch(let start, let stop):
                slot[3] = UnsafePointer(scratch + start)
                slot[4] = UnsafePointer(scratch + stop)
            }
        }
        return XMLAttributes(pointers: attributePointers, count: attributes.count)
    }

    // MARK: - Helpers

    private mutating func fail(_ message: String, at offset: Int) {
        handler.fail(message, line: firstLine + Self.lines(in: buffer, count: min(offset, end)))
    }

    private mutating func reserveScratch(_ count: Int) {
        guard count > scratchCapacity else { return }
        let larger = max(count, scratchCapacity * 2)
        Self.grow(&scratch, from: scratchCapacity, to: larger)
        scratchCapacity = larger
    }

    private static func grow(_ pointer: inout UnsafeMutablePointer<UInt8>, from used: Int, to size: Int) {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        larger.update(from: pointer, count: used)
        pointer.deallocate()
        pointer = larger
    }

    private func find(_ byte: UInt8, from start: Int, before stop: Int? = nil) -> Int? {
        let stop = stop ?? end
        guard start < stop, let found = memchr(buffer + start, Int32(byte), stop - start) else { return nil }
        return buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// An `&` near the end of the bytes read whose entity has not ended yet (entities are short).
    private func unfinishedEntity(from start: Int) -> Int? {
        var index = end - 1
        while index >= max(start, end - 12) {
            if buffer[index] == .semicolon { return nil }
            if buffer[index] == .ampersand { return index }
            index -= 1
        }
        return nil
    }

    private func isNamespaceDeclaration(_ start: Int, _ stop: Int) -> Bool {
        stop - start >= 5 && memcmp(buffer + start, "xmlns", 5) == 0 && (stop - start == 5 || buffer[start + 5] == .colon)
    }

    private func find(_ text: StaticString, from start: Int) -> Int? {
        let count = text.utf8CodeUnitCount
        var from = start
        while let first = find(text.utf8Start.pointee, from: from), first <= end - count {
            if memcmp(buffer + first, text.utf8Start, count) == 0 { return first }
            from = first + 1
        }
        return nil
    }

    private func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        return end - position >= count && memcmp(buffer + position, text.utf8Start, count) == 0
    }

    private func string(_ start: Int, _ stop: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: buffer + start, count: max(0, stop - start)), as: UTF8.self)
    }

    private func excerpt(_ start: Int, _ stop: Int) -> String {
        Self.excerpt(UnsafeBufferPointer(start: buffer + start, count: max(0, stop - start)))
    }

    /// A name or value from the part as a message quotes it: its first 64 bytes at most, since a
    /// message shows a short excerpt at most (README, Limits) and a tag name can run to the
    /// part's end (found by the xlsx-sheet fuzz target: a 2,614-byte message).
    static func excerpt(_ bytes: some Collection<UInt8>) -> String {
        let limit = 64
        let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return bytes.count > limit ? text + "…" : text
    }

    private static func lines(in bytes: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var lines = 0
        var offset = 0
        while offset < count, let found = memchr(bytes + offset, 0x0A, count - offset) {
            lines += 1
            offset = bytes.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return lines
    }
}

private extension UInt8 {
    static let lessThan: UInt8 = 0x3C, greaterThan: UInt8 = 0x3E, slash: UInt8 = 0x2F, question: UInt8 = 0x3F
    static let exclamation: UInt8 = 0x21, ampersand: UInt8 = 0x26, semicolon: UInt8 = 0x3B, equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22, apostrophe: UInt8 = 0x27, colon: UInt8 = 0x3A

    var isXMLBlank: Bool { self == 0x20 || self == 0x0A || self == 0x09 || self == 0x0D }
}
