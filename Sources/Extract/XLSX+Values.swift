import Foundation

/// How the raw text of a cell becomes the text a source record carries.
enum XLSXValues {
    /// The 0-based column of a cell reference (`C7` → 2); nil when it has no column letters.
    /// Four letters or more lie past XFD, the last column Excel has, whatever they spell: they
    /// are the column after it, read no further than the sum of letters can go without overflow.
    static func column(ofReference bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for byte in bytes {
            let upper = byte & ~0x20
            guard upper >= 0x41 && upper <= 0x5A else { break }
            letters += 1
            if letters > 3 { return pastLastColumn }
            column = column * 26 + Int(upper - 0x40)
        }
        return letters > 0 ? column - 1 : nil
    }

    /// The column after XFD: 16,384 columns, 0-based.
    static let pastLastColumn = 16_384

    /// Plain decimal digits (an index, a style, a row number); nil for anything else.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// A number cell as text: an integer as its digits, with no exponent and no `.0` (a phone
    /// stored as `1.38001380000E10` is `13800138000`), anything else as the shortest decimal
    /// that reads back as the same double. Text that is no number is kept as it is.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Most number cells are integers Excel wrote as plain digits: keep them as they are.
        if isPlainInteger(bytes) { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let value = Double(text.trimmingBlanks()), value.isFinite else { return text }
        return plainDecimal(value)
    }

    private static func isPlainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var digits = bytes[...]
        if digits.first == 0x2D { digits = digits.dropFirst() }
        guard let first = digits.first, digits.count <= 15, first != 0x30 || digits.count == 1 else { return false }
        return digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && !(bytes.first == 0x2D && first == 0x30)
    }

    /// `value` in positional notation: Swift's shortest round-trip digits, with the exponent
    /// (`1e-07`, `1.5e+20`) spelled out.
    static func plainDecimal(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9.0e15 { return String(Int64(value)) }
        let text = value.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...])
        else { return text }
        let negative = text.hasPrefix("-")
        let mantissa = text[text.index(text.startIndex, offsetBy: negative ? 1 : 0)..<e]
        let point = mantissa.firstIndex(of: ".")
        let digits = mantissa.filter { $0 != "." }
        // Position of the decimal point in `digits` once the exponent is applied.
        let position = (point.map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) + exponent
        var result: String
        if position <= 0 {
            result = "0." + String(repeating: "0", count: -position) + digits
        } else if position >= digits.count {
            result = digits + String(repeating: "0", count: position - digits.count)
        } else {
            result = String(digits.prefix(position)) + "." + String(digits.dropFirst(position))
        }
        if result.contains(".") {
            while result.hasSuffix("0") { result.removeLast() }
            if result.hasSuffix(".") { result.removeLast() }
        }
        return negative ? "-" + result : result
    }

    /// A date cell's serial: plain decimals (most of what Excel writes) through `strtod` on a
    /// stack copy, which reads them as Swift does without making a String of each; anything
    /// else as Swift reads it.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count < 40, !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 || $0 == 0x2E }) else {
            return Double(String(decoding: bytes, as: UTF8.self))
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            UnsafeMutableRawPointer(base).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            base[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &end)
            // Not all of it read (two points, a locale's decimal comma): Swift decides.
            guard end == base + bytes.count else { return Double(String(decoding: bytes, as: UTF8.self)) }
            return value
        }
    }

    /// A serial date as ISO 8601 local text, `2026-01-05` or `2026-01-05 08:30:00`; a time of
    /// day alone (`08:30:00`) below 1; nil outside Excel's range (it shows `#####` there).
    ///
    /// In the 1900 system serial 1 is 1900-01-01 and serial 60 is 1900-02-29, a day that never
    /// was: Lotus 1-2-3 took 1900 for a leap year and Excel kept it, so every later serial is
    /// one day ahead of a plain count. In the 1904 system serial 0 is 1904-01-01.
    static func date(serial: Double, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        // Excel keeps milliseconds; a source record keeps seconds.
        let seconds = Int64((serial * 86_400).rounded())
        let days = Int(seconds / 86_400)
        let time = Int(seconds % 86_400)
        let timeOnly = days == 0 && !date1904 || serial < 1 && time != 0
        let day: (year: Int64, month: Int64, day: Int64)
        if date1904 {
            day = Civil.date(days: Int64(days - 24_107))
        } else if days == 60 {
            day = (1900, 2, 29)
        } else {
            day = Civil.date(days: Int64(days - (days < 60 ? 25_568 : 25_569)))
        }
        // Written straight into the string's storage: a million dates, no pieces to join.
        return String(unsafeUninitializedCapacity: 20) { out in
            var count = 0
            func put(_ value: Int, digits: Int, then separator: UInt8?) {
                var divisor = 1
                for _ in 1..<digits { divisor *= 10 }
                // A year past 9999 (the 1904 system reaches 10003) keeps all its digits.
                while value / divisor >= 10 { divisor *= 10 }
                while divisor > 0 {
                    out[count] = UInt8(0x30 + value / divisor % 10)
                    count += 1
                    divisor /= 10
                }
                if let separator {
                    out[count] = separator
                    count += 1
                }
            }
            if !timeOnly {
                put(Int(day.year), digits: 4, then: 0x2D)
                put(Int(day.month), digits: 2, then: 0x2D)
                put(Int(day.day), digits: 2, then: time == 0 ? nil : 0x20)
            }
            if timeOnly || time != 0 {
                put(time / 3600, digits: 2, then: 0x3A)
                put(time / 60 % 60, digits: 2, then: 0x3A)
                put(time % 60, digits: 2, then: nil)
            }
            return count
        }
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01.

    /// Cell text with Excel's `_xHHHH_` escapes decoded: it writes a carriage return in a cell
    /// as `_x000D_`, and a literal `_x` as `_x005F_x`.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(0x5F) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        unescape(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the cell text with its `_xHHHH_` escapes decoded to `out`.
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        guard bytes.contains(0x5F) else { return out.append(contentsOf: bytes) }
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x5F, index + 6 < bytes.count, bytes[index + 1] == 0x78, bytes[index + 6] == 0x5F,
                let scalar = hexScalar(bytes[(index + 2)..<(index + 6)])
            {
                out.append(contentsOf: String(Character(scalar)).utf8)
                index += 7
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
    }

    private static func hexScalar(_ hex: Slice<UnsafeBufferPointer<UInt8>>) -> Unicode.Scalar? {
        var value: UInt32 = 0
        for byte in hex {
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return Unicode.Scalar(value)
    }
}
