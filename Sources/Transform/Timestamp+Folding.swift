/// A date or time value folded to ASCII: full-width digits and punctuation to ASCII, 年 and 月 to
/// "-", 日 and 秒 dropped (a blank), 时, 点 and 分 to ":", 上午/下午 (and 早上, 凌晨, 中午, 晚上) to
/// AM/PM; blanks trimmed and runs collapsed.
struct TimestampText {
    enum Outcome { case empty, placeholder, unrecognized, text }

    static let capacity = 48
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var count = 0

    mutating func fold(_ text: UnsafeBufferPointer<UInt8>) -> Outcome {
        var sawText = false
        var sawDigit = false
        var pendingBlank = false
        var index = 0
        while index < text.count {
            let (scalar, width) = decodeScalar(text, at: index)
            index += width
            var byte: UInt8
            switch scalar {
            case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0x65E5, 0x79D2:  // blanks, 日, 秒
                if count > 0 { pendingBlank = true }
                continue
            case 0x21...0x7E:
                byte = UInt8(truncatingIfNeeded: scalar)
                if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }  // "t", "z"
            case 0xFF01...0xFF5E:
                byte = UInt8(truncatingIfNeeded: scalar - 0xFF01 + 0x21)
                if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
            case 0x4E0A, 0x4E0B, 0x4E2D, 0x65E9, 0x51CC, 0x665A:
                // 上午 早上 凌晨 → AM; 下午 中午 晚上 → PM
                let next = index < text.count ? decodeScalar(text, at: index) : (scalar: 0, width: 0)
                let meridiem: UInt8
                switch (scalar, next.scalar) {
                case (0x4E0A, 0x5348), (0x65E9, 0x4E0A), (0x51CC, 0x6668): meridiem = 0x41
                case (0x4E0B, 0x5348), (0x4E2D, 0x5348), (0x665A, 0x4E0A): meridiem = 0x50
                default:
                    sawText = true
                    continue
                }
                index += next.width
                if count > 0 && !append(0x20) { return .unrecognized }
                if !append(meridiem) || !append(0x4D) { return .unrecognized }
                pendingBlank = true
                continue
            case 0x5E74, 0x6708:  // 年 月
                byte = 0x2D
            case 0x65F6, 0x70B9, 0x5206:  // 时 点 分
                byte = 0x3A
            default:
                sawText = true
                continue
            }
            if byte >= 0x30 && byte <= 0x39 { sawDigit = true }
            if pendingBlank {
                pendingBlank = false
                if !append(0x20) { return .unrecognized }
            }
            if !append(byte) { return .unrecognized }
        }
        // "8时30分" leaves a trailing ":" once 分 is folded.
        while count > 0 && byteAt(count - 1) == 0x3A { count -= 1 }
        if !sawDigit { return count == 0 && !sawText ? .empty : .placeholder }
        return sawText ? .unrecognized : .text
    }

    private mutating func append(_ byte: UInt8) -> Bool {
        guard count < Self.capacity else { return false }
        withUnsafeMutableBytes(of: &storage) { $0[count] = byte }
        count += 1
        return true
    }

    private func byteAt(_ index: Int) -> UInt8 {
        withUnsafeBytes(of: storage) { $0[index] }
    }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeBytes(of: storage) { raw in
            body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }
}
