/// The phone normalizer: one pass over the UTF-8 bytes collecting digits and what stood between
/// them, then a classification of the digits. No regular expressions, no Foundation; a valid
/// number allocates nothing but its result (E.164 numbers fit Swift's inline small strings).
@usableFromInline
enum PhoneParser {
    @usableFromInline
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Result<NormalizedPhone, PhoneRefusal> {
        var scan = PhoneScan()
        scan.run(text)
        return classify(scan, text)
    }

    @usableFromInline
    static func parseSeveral(_ text: UnsafeBufferPointer<UInt8>) -> [Result<NormalizedPhone, PhoneRefusal>] {
        // Split on list separators, but only where every part is long enough to be a number:
        // "0755/8888 6666" is one number written oddly, not two broken ones.
        var parts: [UnsafeBufferPointer<UInt8>] = []
        var start = 0
        var index = 0
        var allLongEnough = true
        func close(_ end: Int) {
            let part = UnsafeBufferPointer(rebasing: text[start..<end])
            let digits = countDigits(part)
            if digits > 0 { parts.append(part) }
            if digits > 0 && digits < 7 { allLongEnough = false }
        }
        while index < text.count {
            let (scalar, width) = decodeScalar(text, at: index)
            switch scalar {
            case 0x3B, 0xFF1B, 0x2C, 0xFF0C, 0x3001, 0x2F, 0xFF0F, 0x7C, 0x0A, 0x0D, 0x6216:  // ;；,，、/／|\n\r或
                close(index)
                start = index + width
            default:
                break
            }
            index += width
        }
        close(text.count)
        if parts.count > 1 && allLongEnough {
            return parts.map { parse($0) }
        }
        let single = parts.count == 1 && allLongEnough ? parts[0] : text  // "13800138000;"
        let result = parse(single)
        if case .failure(.tooLong) = result, let split = splitOnBlanks(single) {
            return split
        }
        return [result]
    }

    /// "13800138000 13900139000": two numbers separated by blanks only, each valid on its own.
    private static func splitOnBlanks(_ text: UnsafeBufferPointer<UInt8>) -> [Result<NormalizedPhone, PhoneRefusal>]? {
        var results: [Result<NormalizedPhone, PhoneRefusal>] = []
        var start = -1
        var index = 0
        while index <= text.count {
            let blank = index == text.count || text[index] == 0x20 || text[index] == 0x09
            if blank {
                if start >= 0 {
                    let result = parse(UnsafeBufferPointer(rebasing: text[start..<index]))
                    guard case .success = result else { return nil }
                    results.append(result)
                    start = -1
                }
            } else if start < 0 {
                start = index
            }
            index += 1
        }
        return results.count > 1 ? results : nil
    }

    private static func countDigits(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var index = 0
        while index < text.count {
            let (scalar, width) = decodeScalar(text, at: index)
            if (0x30...0x39).contains(scalar) || (0xFF10...0xFF19).contains(scalar) { count += 1 }
            index += width
        }
        return count
    }

    // MARK: Classification

    private static func classify(_ scan: PhoneScan, _ text: UnsafeBufferPointer<UInt8>) -> Result<NormalizedPhone, PhoneRefusal> {
        if !scan.nonBlank { return .failure(.empty) }
        var digits = scan.digits
        if digits.count == 0 && scan.extensionDigits.count == 0 {
            if scan.latin && !isPlaceholderWord(text) { return .failure(.letters) }
            return .failure(.placeholder)
        }
        if scan.scientific { return .failure(.scientificNotation) }
        if scan.latin || scan.other { return .failure(.letters) }
        if digits.isAllZero && scan.extensionDigits.count == 0 { return .failure(.placeholder) }
        if digits.overflowed || scan.extensionDigits.count > 8 { return .failure(.tooLong) }
        // Excel shows a number stored as a double with its fraction: "13800138000.0".
        if scan.dotBoundaries == 1 && scan.otherBoundaries == 0 && scan.lastGroupAfterDot && !scan.plus
            && scan.lastGroupStart >= 7 && digits.isAllZero(from: scan.lastGroupStart)
        {
            digits.truncate(to: scan.lastGroupStart)
        }
        var number = Number(
            digits: digits, boundaries: scan.boundaries,
            extensionDigits: scan.extensionDigits.count > 0 ? scan.extensionDigits : nil)
        let count = digits.count
        if count < 2 { return .failure(.tooShort) }

        // A country code after "+", after the international prefix 00, or both ("+0086").
        let prefix = digits[0] == 0 && digits[1] == 0 ? 2 : 0
        if scan.plus || prefix == 2 {
            if count >= prefix + 2 && digits[prefix] == 8 && digits[prefix + 1] == 6 {
                return national(&number, from: prefix + 2)
            }
            return international(&number, from: prefix)
        }
        // The country code without its "+": Excel drops it from 8613800138000. No Chinese number
        // starts with 86 (there is no area code 086x), so a long number starting so has it.
        if digits[0] == 8 && digits[1] == 6 && count >= 12 {
            return national(&number, from: 2)
        }
        let result = national(&number, from: 0)
        // A carrier-selection prefix dialled before the number: 17951 13800138000.
        if case .failure(.tooLong) = result, count >= 15, digits[0] == 1,
            digits[1] == 1 || digits[1] == 2 || (digits[1] == 7 && digits[2] == 9)
        {
            if case .success(let phone) = national(&number, from: 5) { return .success(phone) }
        }
        return result
    }

    private struct Number {
        var digits: DigitBuffer
        var boundaries: UInt32
        var extensionDigits: DigitBuffer?
    }

    private static func international(_ number: inout Number, from start: Int) -> Result<NormalizedPhone, PhoneRefusal> {
        let digits = number.digits
        let count = digits.count - start
        guard count > 0, digits[start] != 0 else { return .failure(count == 0 ? .tooShort : .unknownPrefix) }
        var known = false
        for length in 1...3 where start + length <= digits.count {
            if AreaCodes.isCountryCallingCode(digits.value(start, start + length)) { known = true; break }
        }
        if !known { return .failure(.unknownPrefix) }
        if count < 8 { return .failure(.tooShort) }
        if count > 15 { return .failure(.tooLong) }
        return .success(
            NormalizedPhone(
                e164: digits.e164(from: start), kind: .international,
                extensionDigits: number.extensionDigits?.string()))
    }

    /// `start` points at the national number, possibly with its trunk 0.
    private static func national(_ number: inout Number, from start: Int) -> Result<NormalizedPhone, PhoneRefusal> {
        var start = start
        let digits = number.digits
        if start < digits.count && digits[start] == 0 { start += 1 }
        let count = digits.count - start
        guard count > 0 else { return .failure(.tooShort) }
        switch digits[start] {
        case 0:
            return .failure(.unknownAreaCode)
        case 1 where count >= 2 && digits[start + 1] == 0:
            return landline(&number, from: start, codeLength: 2)  // Beijing, 010
        case 1:
            if count < 11 { return .failure(.tooShort) }
            if count > 11 { return .failure(.tooLong) }
            guard AreaCodes.isMobileSegment(digits.value(start, start + 4)) else { return .failure(.unknownPrefix) }
            return .success(
                NormalizedPhone(
                    e164: digits.e164(country86From: start), kind: .mobile,
                    extensionDigits: number.extensionDigits?.string()))
        case 2:
            return landline(&number, from: start, codeLength: 2)
        case let first where (first == 4 || first == 8) && count >= 3 && digits[start + 1] == 0 && digits[start + 2] == 0:
            // 400 and 800 numbers: ten digits, no area code.
            if count < 10 { return .failure(.tooShort) }
            if count > 10 {
                guard splitExtension(&number, at: start + 10) else { return .failure(.tooLong) }
            }
            return .success(
                NormalizedPhone(
                    e164: number.digits.e164(country86From: start), kind: .service,
                    extensionDigits: number.extensionDigits?.string()))
        default:
            return landline(&number, from: start, codeLength: 3)
        }
    }

    private static func landline(_ number: inout Number, from start: Int, codeLength: Int) -> Result<
        NormalizedPhone, PhoneRefusal
    > {
        let count = number.digits.count - start
        if count <= codeLength { return .failure(.tooShort) }
        guard let area = AreaCodes.lookup(number.digits.value(start, start + codeLength)) else {
            return .failure(.unknownAreaCode)
        }
        let local = count - codeLength
        if !area.allowsLocalNumber(ofLength: local) {
            if local < area.shortestLocalNumber { return .failure(.tooShort) }
            // A landline's extension is often written as one more digit group: 0755-8888-6666-801.
            var split = false
            var length = area.longestLocalNumber
            while !split && length >= area.shortestLocalNumber {
                if area.allowsLocalNumber(ofLength: length) {
                    split = splitExtension(&number, at: start + codeLength + length)
                }
                length -= 1
            }
            if !split { return .failure(local < area.longestLocalNumber ? .tooShort : .tooLong) }
        }
        if number.digits[start + codeLength] == 0 { return .failure(.unknownPrefix) }
        return .success(
            NormalizedPhone(
                e164: number.digits.e164(country86From: start), kind: .landline,
                extensionDigits: number.extensionDigits?.string(),
                areaCode: area.digits, area: area.city))
    }

    /// Moves the digits from `index` on into the extension when a separator stands at `index`
    /// and no extension was written with a marker.
    private static func splitExtension(_ number: inout Number, at index: Int) -> Bool {
        let trailing = number.digits.count - index
        guard number.extensionDigits == nil, trailing >= 1, trailing <= 6, index < 32,
            number.boundaries & (1 << UInt32(index)) != 0
        else { return false }
        var ext = DigitBuffer()
        for i in index..<number.digits.count { ext.append(number.digits[i]) }
        number.extensionDigits = ext
        number.digits.truncate(to: index)
        return true
    }

    /// Words that mean "no number" in an English-speaking system, a spreadsheet or a caller-ID
    /// field: N/A, null, none, unknown, anonymous, Restricted, private, withheld.
    private static func isPlaceholderWord(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var word: [UInt8] = []
        for byte in text {
            switch byte {
            case 0x41...0x5A: word.append(byte + 0x20)
            case 0x61...0x7A: word.append(byte)
            case 0x20, 0x09, 0x2F, 0x2D, 0x2E, 0x23, 0x5F, 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D: continue
            default: return false
            }
        }
        return placeholderWords.contains(word)
    }

    private static let placeholderWords: Set<[UInt8]> = Set(
        [
            "na", "nan", "null", "nil", "none", "unknown", "anonymous", "restricted", "private", "withheld",
            "unavailable", "tbd", "no", "nonumber", "blocked",
        ].map { Array($0.utf8) })
}

/// What one pass over a phone value found.
struct PhoneScan {
    var digits = DigitBuffer()
    var extensionDigits = DigitBuffer()
    /// A "+" before the first digit.
    var plus = false
    /// Bit i: a separator stood right before digit i.
    var boundaries: UInt32 = 0
    var dotBoundaries = 0
    var otherBoundaries = 0
    var lastGroupStart = 0
    var lastGroupAfterDot = false
    /// Latin letters that are not an extension marker.
    var latin = false
    /// Any other character with no place in a phone number.
    var other = false
    /// Excel's 1.38001E+10.
    var scientific = false
    var nonBlank = false

    mutating func run(_ text: UnsafeBufferPointer<UInt8>) {
        var inExtension = false
        var pendingSeparator = false
        var pendingDot = false
        var previousWasDigit = false
        var index = 0
        let end = text.count
        while index < end {
            let (scalar, width) = decodeScalar(text, at: index)
            index += width
            var digit: UInt8 = 0xFF
            switch scalar {
            case 0x30...0x39:
                digit = UInt8(truncatingIfNeeded: scalar - 0x30)
            case 0xFF10...0xFF19:
                digit = UInt8(truncatingIfNeeded: scalar - 0xFF10)
            case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000:
                pendingSeparator = true
            case 0x28, 0xFF08, 0x5B, 0x3010:  // ( （ [ 【
                pendingSeparator = true
                nonBlank = true
                // A note in brackets is no part of the number: "138 0013 8000 (微信同号)".
                if let after = Self.endOfNote(text, from: index) { index = after }
            case 0x2D, 0xFF0D, 0x2010...0x2015, 0x2212, 0xFE63,  // dashes
                0x29, 0xFF09, 0x5D, 0x3011,  // closing brackets
                0x2F, 0xFF0F, 0x5F, 0x3A, 0xFF1A, 0x7E, 0xFF5E:  // / _ : ~
                pendingSeparator = true
                nonBlank = true
            case 0x2E, 0xFF0E, 0x3002, 0xB7, 0x30FB:  // . ． 。 · ・
                pendingSeparator = true
                pendingDot = true
                nonBlank = true
            case 0x2B, 0xFF0B:
                nonBlank = true
                if digits.count == 0 && !inExtension { plus = true } else { other = true }
            case 0x23, 0xFF03:  // "#123"
                nonBlank = true
                if digits.count > 0 { inExtension = true } else { pendingSeparator = true }
            case 0x8F6C:  // 转
                nonBlank = true
                if digits.count > 0 { inExtension = true } else { other = true }
            case 0x5206 where index < end && decodeScalar(text, at: index).scalar == 0x673A:  // 分机
                nonBlank = true
                index += decodeScalar(text, at: index).width
                if digits.count > 0 { inExtension = true } else { other = true }
            case 0x41...0x5A, 0x61...0x7A, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
                nonBlank = true
                let letter = foldLetter(scalar)
                if letter == 0x65, previousWasDigit, index < end,
                    text[index] == 0x2B || text[index] == 0x2D || (0x30...0x39).contains(text[index])
                {
                    scientific = true  // 1.38001E+10
                } else if digits.count > 0 && !inExtension, let length = extensionMarker(text, letter, index) {
                    inExtension = true
                    index += length
                } else {
                    latin = true
                }
            default:
                nonBlank = true
                other = true
            }
            if digit != 0xFF {
                nonBlank = true
                if inExtension {
                    extensionDigits.append(digit)
                } else {
                    if pendingSeparator && digits.count > 0 {
                        if digits.count < 32 { boundaries |= 1 << UInt32(digits.count) }
                        lastGroupStart = digits.count
                        lastGroupAfterDot = pendingDot
                        if pendingDot { dotBoundaries += 1 } else { otherBoundaries += 1 }
                    }
                    digits.append(digit)
                }
                pendingSeparator = false
                pendingDot = false
                previousWasDigit = true
            } else {
                previousWasDigit = false
            }
        }
    }

    /// The index after the closing bracket of a bracketed note that holds text but no digit and
    /// no "+" (so "(0755)" and "(+86)" stay part of the number); nil for anything else.
    private static func endOfNote(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        var sawText = false
        while index < text.count {
            let (scalar, width) = decodeScalar(text, at: index)
            index += width
            switch scalar {
            case 0x29, 0xFF09, 0x5D, 0x3011: return sawText ? index : nil
            case 0x30...0x39, 0xFF10...0xFF19, 0x2B, 0xFF0B, 0x28, 0xFF08, 0x5B, 0x3010: return nil
            case 0x20, 0x09, 0x3000: continue
            default: sawText = true
            }
        }
        return nil
    }

    /// The length of the rest of an extension marker starting with `letter` (lowercase): "x",
    /// "ext", "ext.", "extn", "extension"; nil when the letters are no marker.
    private func extensionMarker(_ text: UnsafeBufferPointer<UInt8>, _ letter: UInt32, _ index: Int) -> Int? {
        func lower(_ i: Int) -> UInt8 { i < text.count ? text[i] | 0x20 : 0 }
        var length = 0
        if letter == 0x78 {  // x
            // "x" alone; not part of a word
            if (0x61...0x7A).contains(lower(index)) { return nil }
        } else if letter == 0x65 && lower(index) == 0x78 && lower(index + 1) == 0x74 {  // ext
            length = 2
            let rest: [UInt8] = Array("ension".utf8)
            if (0..<rest.count).allSatisfy({ lower(index + length + $0) == rest[$0] }) {
                length += rest.count  // "extension"
            } else if lower(index + length) == 0x6E {
                length += 1  // "extn"
            }
            if (0x61...0x7A).contains(lower(index + length)) { return nil }
        } else {
            return nil
        }
        if index + length < text.count && text[index + length] == 0x2E { length += 1 }  // "ext."
        return length
    }

    private func foldLetter(_ scalar: UInt32) -> UInt32 {
        switch scalar {
        case 0x41...0x5A: scalar + 0x20
        case 0xFF21...0xFF3A: scalar - 0xFF21 + 0x61
        case 0xFF41...0xFF5A: scalar - 0xFF41 + 0x61
        default: scalar
        }
    }
}

/// Up to 32 decimal digits (0…9) held inline, with the count of all digits seen.
struct DigitBuffer {
    static let capacity = 32
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private(set) var count = 0

    var overflowed: Bool { count > Self.capacity }

    mutating func append(_ digit: UInt8) {
        if count < Self.capacity {
            withUnsafeMutableBytes(of: &storage) { $0[count] = digit }
        }
        count += 1
    }

    mutating func truncate(to length: Int) {
        count = min(count, length)
    }

    subscript(index: Int) -> UInt8 {
        withUnsafeBytes(of: storage) { $0[index] }
    }

    var isAllZero: Bool { isAllZero(from: 0) }

    func isAllZero(from start: Int) -> Bool {
        withUnsafeBytes(of: storage) { bytes in
            for i in start..<min(count, Self.capacity) where bytes[i] != 0 { return false }
            return true
        }
    }

    /// The digits `from..<to` as a number.
    func value(_ from: Int, _ to: Int) -> Int {
        withUnsafeBytes(of: storage) { bytes in
            var value = 0
            for i in from..<min(to, count) { value = value &* 10 &+ Int(bytes[i]) }
            return value
        }
    }

    /// "+86" followed by the digits from `start`.
    func e164(country86From start: Int) -> String {
        let length = count - start
        return String(unsafeUninitializedCapacity: length + 3) { out in
            out[0] = 0x2B
            out[1] = 0x38
            out[2] = 0x36
            withUnsafeBytes(of: storage) { bytes in
                for i in 0..<length { out[3 + i] = bytes[start + i] &+ 0x30 }
            }
            return length + 3
        }
    }

    /// "+" followed by the digits from `start`.
    func e164(from start: Int) -> String {
        let length = count - start
        return String(unsafeUninitializedCapacity: length + 1) { out in
            out[0] = 0x2B
            withUnsafeBytes(of: storage) { bytes in
                for i in 0..<length { out[1 + i] = bytes[start + i] &+ 0x30 }
            }
            return length + 1
        }
    }

    func string() -> String {
        let length = min(count, Self.capacity)
        return String(unsafeUninitializedCapacity: length) { out in
            withUnsafeBytes(of: storage) { bytes in
                for i in 0..<length { out[i] = bytes[i] &+ 0x30 }
            }
            return length
        }
    }
}

/// The Unicode scalar at `index` of valid or invalid UTF-8, and its width in bytes; an invalid
/// byte decodes as U+FFFD, one byte wide.
@inline(__always)
func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, width: Int) {
    let lead = text[index]
    if lead < 0x80 { return (UInt32(lead), 1) }
    let remaining = text.count - index
    @inline(__always) func continuation(_ offset: Int) -> UInt32? {
        let byte = text[index + offset]
        return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
    }
    if lead & 0xE0 == 0xC0, remaining >= 2, let b1 = continuation(1) {
        let scalar = UInt32(lead & 0x1F) << 6 | b1
        return scalar >= 0x80 ? (scalar, 2) : (0xFFFD, 1)
    }
    if lead & 0xF0 == 0xE0, remaining >= 3, let b1 = continuation(1), let b2 = continuation(2) {
        let scalar = UInt32(lead & 0x0F) << 12 | b1 << 6 | b2
        return scalar >= 0x800 ? (scalar, 3) : (0xFFFD, 1)
    }
    if lead & 0xF8 == 0xF0, remaining >= 4, let b1 = continuation(1), let b2 = continuation(2),
        let b3 = continuation(3)
    {
        let scalar = UInt32(lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
        return scalar >= 0x10000 && scalar <= 0x10FFFF ? (scalar, 4) : (0xFFFD, 1)
    }
    return (0xFFFD, 1)
}
