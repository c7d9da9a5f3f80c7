import Extract
import Foundation

/// Why a date or time value was refused: the machine-readable reason code.
package enum DateRefusal: String, Sendable, Error, CaseIterable {
    /// Nothing but blanks.
    case empty
    /// A value that says "no date": 无, 暂无, -, N/A, null.
    case placeholder
    /// No date format crmbridge reads.
    case unrecognized
    /// A date that cannot be (2026-02-30, 25:00) or lies outside 1900–2200 (0000-00-00, 9999-12-31).
    case outOfRange = "out_of_range"
    /// A date written day or month first (`11/12/2026`, `21.11.2026`) by a source without
    /// `date_order`. Which number is the day is a property of the export, not of one value: even
    /// `21/11/2026`, which can only be day first, is refused, so that a file is read all one way
    /// or not at all rather than its days after the 12th alone. Set `date_order: dmy|mdy` on the source.
    case ambiguous
}

/// The order of day and month in dates written without the year first; a source's `date_order`.
package enum DateOrder: String, Sendable, CaseIterable {
    /// Day, month, year: `21/11/2026`, `21.11.2026`, `21-11-2026` (Europe, Hong Kong, most of the world).
    case dmy
    /// Month, day, year: `11/21/2026` (the United States).
    case mdy
}

/// Parses the dates and times of source systems into instants, and writes instants as ISO 8601.
/// One per batch: it holds the pipeline's time zone, which applies to every value without an offset.
///
/// Reads `2026-01-05`, `2026/1/5`, `2026.1.5`, `2026年1月5日`, `20260105`, each optionally with a time
/// after a blank or `T`: `8:00`, `08:00:00`, `08:00:00.123`, `8时30分`, 12-hour clocks (`2:33 PM`,
/// `2:33PM`, `2:33 p.m.`, `下午2:33`, `下午2点33分`; `上午`, `早上`, `凌晨`, `中午`, `晚上`), after
/// `20260105` also `1433` and `143300`; and optionally with an offset (`Z`, `+08:00`, `+0800`, `+08`).
/// Also `20260105143300`, Unix seconds (10 digits) and milliseconds (13 digits), Excel serial day
/// numbers (a bare number below 100000, 1900 date system). Dates written day or month first
/// (`21/11/2026`, `11-21-2026`, `21.11.2026`) only with a `dateOrder`; without one they are refused
/// as `ambiguous`, never guessed.
///
/// ```swift
/// let parser = TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
/// let date = try parser.parse("2026/1/5 8:00").get()
/// parser.iso8601(date)   // "2026-01-05T08:00:00+08:00"
/// try parser.with(dateOrder: .dmy).parse("5/1/2026 下午2:33").get()   // 2026-01-05T14:33:00+08:00
/// ```
package struct TimestampParser: Sendable {
    package let timeZone: TimeZone
    /// How to read dates written day or month first; nil: refuse them as `ambiguous`.
    package private(set) var dateOrder: DateOrder?
    /// The zone's offset when it has kept one offset since 2000 (no DST: Asia/Shanghai, UTC):
    /// computed once instead of asking the zone for every value.
    private let fixedOffset: Int64?

    /// From this instant on, `fixedOffset` holds (2000-01-01T00:00:00Z).
    private static let fixedSince: Int64 = 946_684_800
    private static let latest = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
    /// 2201-01-01T00:00:00Z: dates are read from 1900 to 2200.
    private static let end: Int64 = 7_289_654_400

    package init(timeZone: TimeZone, dateOrder: DateOrder? = nil) {
        self.timeZone = timeZone
        self.dateOrder = dateOrder
        let since = Date(timeIntervalSince1970: Double(Self.fixedSince))
        let offset = timeZone.secondsFromGMT(for: since)
        if timeZone.nextDaylightSavingTimeTransition(after: since) == nil,
            timeZone.secondsFromGMT(for: Self.latest) == offset
        {
            fixedOffset = Int64(offset)
        } else {
            fixedOffset = nil
        }
    }

    /// The same parser reading day- or month-first dates in `order` (a source's `date_order`).
    package func with(dateOrder order: DateOrder?) -> TimestampParser {
        var parser = self
        parser.dateOrder = order
        return parser
    }

    /// The instant a date or time value names; values without an offset are in the parser's zone.
    @inlinable
    package func parse(_ raw: some StringProtocol) -> Result<Date, DateRefusal> {
        if let result = raw.utf8.withContiguousStorageIfAvailable({ parseBytes($0) }) { return result }
        return Array(raw.utf8).withUnsafeBufferPointer { parseBytes($0) }
    }

    /// The instant of an Excel serial day number, a wall-clock time in the parser's zone.
    /// In the 1900 system serial 1 is 1900-01-01 and Excel counts a 29 February 1900 that never
    /// was: serials from 61 on are days since 1899-12-30 (serial 60 reads as 1900-02-28). In the
    /// 1904 system serial 0 is 1904-01-01. The fraction is the time of day, kept to the millisecond.
    package func fromExcelSerial(_ serial: Double, date1904: Bool) -> Date {
        let milliseconds = (serial * 86_400_000).rounded()
        guard milliseconds.isFinite, abs(milliseconds) < 1e15 else { return Date(timeIntervalSince1970: .nan) }
        let total = Int64(milliseconds)
        let days = floorDivide(total, 86_400_000)
        let millisecondOfDay = total - days * 86_400_000
        let base: Int64
        if date1904 {
            base = Civil.days(year: 1904, month: 1, day: 1)
        } else {
            base = days < 60 ? Civil.days(year: 1899, month: 12, day: 31) : Civil.days(year: 1899, month: 12, day: 30)
        }
        let local = (base + days) * 86_400 + millisecondOfDay / 1000
        return Date(timeIntervalSince1970: Double(utc(fromLocal: local)) + Double(millisecondOfDay % 1000) / 1000)
    }

    /// `2026-01-05T08:00:00+08:00`: the instant in the parser's zone, to the second.
    package func iso8601(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, abs(interval) < 2e11 else { return "" }
        let seconds = date.wholeSeconds
        let zoneOffset = offset(atUTC: seconds)
        let local = seconds + zoneOffset
        let days = floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Civil.date(days: days)
        guard year >= 0 && year <= 9999 else { return "" }
        return String(unsafeUninitializedCapacity: 25) { out in
            func put(_ value: Int64, _ width: Int, at position: Int) {
                var value = value
                for i in stride(from: position + width - 1, through: position, by: -1) {
                    out[i] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0)
            out[4] = 0x2D
            put(month, 2, at: 5)
            out[7] = 0x2D
            put(day, 2, at: 8)
            out[10] = 0x54
            put(secondOfDay / 3600, 2, at: 11)
            out[13] = 0x3A
            put(secondOfDay / 60 % 60, 2, at: 14)
            out[16] = 0x3A
            put(secondOfDay % 60, 2, at: 17)
            out[19] = zoneOffset < 0 ? 0x2D : 0x2B
            let minutes = abs(zoneOffset) / 60
            put(minutes / 60, 2, at: 20)
            out[22] = 0x3A
            put(minutes % 60, 2, at: 23)
            return 25
        }
    }

    // MARK: Zone arithmetic

    /// The zone's offset in whole minutes. Before standard time a zone keeps its local mean time,
    /// Shanghai's +8:05:43: ISO 8601 cannot write the seconds, so the parser does not count them
    /// either, and `1900-07-28` written as `1900-07-28T00:00:00+08:05` reads back as itself.
    private func offset(atUTC seconds: Int64) -> Int64 {
        if let fixedOffset, seconds >= Self.fixedSince { return fixedOffset }
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
        return offset / 60 * 60
    }

    /// The UTC instant of a wall-clock time in the zone (in a gap, the offset before it applies).
    private func utc(fromLocal local: Int64) -> Int64 {
        if let fixedOffset, local - fixedOffset >= Self.fixedSince { return local - fixedOffset }
        let guess = local - offset(atUTC: local)
        return local - offset(atUTC: guess)
    }

    // MARK: Parsing

    @usableFromInline
    func parseBytes(_ text: UnsafeBufferPointer<UInt8>) -> Result<Date, DateRefusal> {
        var buffer = TimestampText()
        switch buffer.fold(text) {
        case .empty: return .failure(.empty)
        case .placeholder: return .failure(.placeholder)
        case .unrecognized: return .failure(.unrecognized)
        case .text: break
        }
        return buffer.withBytes { bytes in parseFolded(bytes) }
    }

    private func parseFolded(_ s: UnsafeBufferPointer<UInt8>) -> Result<Date, DateRefusal> {
        var cursor = 0
        let end = s.count
        // Counts every digit but keeps the value of the first 18 only: a run of 19 or more (a
        // number column read as a date, JSON's 1e19) would overflow Int64, and no format has one.
        func digits(max: Int) -> (value: Int64, count: Int) {
            var value: Int64 = 0
            var count = 0
            while cursor < end && count < max && s[cursor] >= 0x30 && s[cursor] <= 0x39 {
                if count < 18 { value = value * 10 + Int64(s[cursor] - 0x30) }
                cursor += 1
                count += 1
            }
            return (value, count)
        }
        func isDateSeparator(_ byte: UInt8) -> Bool { byte == 0x2D || byte == 0x2F || byte == 0x2E }  // - / .

        let head = digits(max: .max)
        if head.count == 0 { return .failure(.unrecognized) }
        if cursor == end || (s[cursor] == 0x2E && isAllDigits(s, from: cursor + 1) && head.count != 4) {
            return parseNumber(s, integer: head.value, integerDigits: head.count, fractionAt: cursor)
        }
        var year: Int64, month: Int64, day: Int64
        /// `20261121` before the time: the time may be compact too (`1433`, `143300`).
        var compact = false
        /// Day and month written first, in an order only the source can tell.
        var dayOrMonthFirst = false
        switch head.count {
        case 8:
            // yyyyMMdd followed by a time: `20261121 14:33`, `20261121 1433`, `20261121T143300`.
            guard s[cursor] == 0x20 || s[cursor] == 0x54 else { return .failure(.unrecognized) }
            (year, month, day) = (head.value / 10_000, head.value / 100 % 100, head.value % 100)
            compact = true
        case 4:
            let separator = s[cursor]
            guard isDateSeparator(separator) else { return .failure(.unrecognized) }
            cursor += 1
            let m = digits(max: 2)
            guard m.count > 0, cursor < end, s[cursor] == separator else { return .failure(.unrecognized) }
            cursor += 1
            let d = digits(max: 2)
            guard d.count > 0 else { return .failure(.unrecognized) }
            (year, month, day) = (head.value, m.value, d.value)
        case 1, 2:
            // `21/11/2026`, `11-21-2026`, `21.11.2026`: the year in full (a two-digit year is a
            // second guess on top of the first).
            let separator = s[cursor]
            guard isDateSeparator(separator) else { return .failure(.unrecognized) }
            cursor += 1
            let second = digits(max: 2)
            guard second.count > 0, cursor < end, s[cursor] == separator else { return .failure(.unrecognized) }
            cursor += 1
            let y = digits(max: 4)
            guard y.count == 4 else { return .failure(.unrecognized) }
            year = y.value
            (day, month) = dateOrder == .mdy ? (second.value, head.value) : (head.value, second.value)
            dayOrMonthFirst = true
        default:
            return .failure(.unrecognized)
        }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var fraction = 0.0
        var offset: Int64?
        var meridiem: Int64?  // 0 for AM, 12 for PM
        // `AM`, `PM`, `A.M.`, `P.M.` (folded to upper case; 下午 folds to `PM`).
        func readMeridiem() -> Int64? {
            guard cursor < end, s[cursor] == 0x41 || s[cursor] == 0x50 else { return nil }
            var next = cursor + 1
            if next < end && s[next] == 0x2E { next += 1 }
            guard next < end, s[next] == 0x4D else { return nil }
            next += 1
            if next < end && s[next] == 0x2E { next += 1 }
            defer { cursor = next }
            return s[cursor] == 0x41 ? 0 : 12
        }
        if cursor < end {
            guard s[cursor] == 0x20 || s[cursor] == 0x54 else { return .failure(.unrecognized) }  // " " or "T"
            while cursor < end && (s[cursor] == 0x20 || s[cursor] == 0x54) { cursor += 1 }
            meridiem = readMeridiem()  // 下午3:00 folds to "PM 3:00"
            while cursor < end && s[cursor] == 0x20 { cursor += 1 }
            let h = digits(max: compact ? 6 : 2)
            switch h.count {
            case 1, 2:
                hour = h.value
            case 4:  // `20261121 1433`
                (hour, minute) = (h.value / 100, h.value % 100)
            case 6:  // `20261121T143300`
                (hour, minute, second) = (h.value / 10_000, h.value / 100 % 100, h.value % 100)
            default:
                return .failure(.unrecognized)
            }
            // The hour alone is a time too: "2026-01-05 08", "2026年1月5日 8时".
            var hasSeconds = h.count == 6
            if h.count <= 2 && cursor < end && s[cursor] == 0x3A {
                cursor += 1
                let m = digits(max: 2)
                guard m.count == 2 else { return .failure(.unrecognized) }
                minute = m.value
                if cursor < end && s[cursor] == 0x3A {
                    cursor += 1
                    let sec = digits(max: 2)
                    guard sec.count == 2 else { return .failure(.unrecognized) }
                    second = sec.value
                    hasSeconds = true
                }
            }
            if hasSeconds && cursor < end && (s[cursor] == 0x2E || s[cursor] == 0x2C) {
                cursor += 1
                var scale = 0.1
                let start = cursor
                while cursor < end && s[cursor] >= 0x30 && s[cursor] <= 0x39 {
                    fraction += Double(s[cursor] - 0x30) * scale
                    scale /= 10
                    cursor += 1
                }
                guard cursor > start else { return .failure(.unrecognized) }
            }
            while cursor < end && s[cursor] == 0x20 { cursor += 1 }
            if meridiem == nil {
                meridiem = readMeridiem()
                while cursor < end && s[cursor] == 0x20 { cursor += 1 }
            }
            if cursor < end {
                switch s[cursor] {
                case 0x5A:  // Z
                    cursor += 1
                    offset = 0
                case 0x2B, 0x2D:
                    let sign: Int64 = s[cursor] == 0x2D ? -1 : 1
                    cursor += 1
                    let oh = digits(max: 2)
                    guard oh.count == 2 else { return .failure(.unrecognized) }
                    if cursor < end && s[cursor] == 0x3A { cursor += 1 }
                    let om = digits(max: 2)
                    guard om.count == 0 || om.count == 2 else { return .failure(.unrecognized) }
                    guard oh.value <= 14, om.value < 60 else { return .failure(.outOfRange) }
                    offset = sign * (oh.value * 3600 + om.value * 60)
                default:
                    return .failure(.unrecognized)
                }
                guard cursor == end else { return .failure(.unrecognized) }
            }
        }
        // Read to the end first: a value that is no date at all says so, whatever its order.
        if dayOrMonthFirst && dateOrder == nil { return .failure(.ambiguous) }
        if let meridiem {
            guard hour >= 1 && hour <= 12 else { return .failure(.outOfRange) }
            hour = hour % 12 + meridiem
        }
        guard year >= 1900, year <= 2200, month >= 1, month <= 12,
            day >= 1, day <= Civil.daysIn(month: month, year: year),
            hour <= 23 || (hour == 24 && minute == 0 && second == 0 && fraction == 0),
            minute <= 59, second <= 60
        else { return .failure(.outOfRange) }
        let local =
            Civil.days(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + second
        let instant = offset.map { local - $0 } ?? utc(fromLocal: local)
        return .success(Date(timeIntervalSince1970: Double(instant) + fraction))
    }

    /// A bare number: Unix seconds (10 digits), milliseconds (13), yyyyMMdd (8), yyyyMMddHHmmss
    /// (14), or an Excel serial day number (below 100000).
    private func parseNumber(
        _ s: UnsafeBufferPointer<UInt8>, integer: Int64, integerDigits: Int,
        fractionAt dot: Int
    ) -> Result<Date, DateRefusal> {
        // Longer than yyyyMMddHHmmss: no format, and `integer` holds only its first 18 digits.
        guard integerDigits <= 14 else { return .failure(.unrecognized) }
        var fraction = 0.0
        if dot < s.count {
            var scale = 0.1
            for i in (dot + 1)..<s.count {
                fraction += Double(s[i] - 0x30) * scale
                scale /= 10
            }
        }
        switch integerDigits {
        case 10:
            // Ten digits reach 2286: beyond 2200 is out of range, as it is written any other way.
            guard integer < Self.end else { return .failure(.outOfRange) }
            return .success(Date(timeIntervalSince1970: Double(integer) + fraction))
        case 13:
            guard integer / 1000 < Self.end else { return .failure(.outOfRange) }
            return .success(Date(timeIntervalSince1970: Double(integer) / 1000))
        case 8 where dot == s.count:
            return civil(year: integer / 10_000, month: integer / 100 % 100, day: integer % 100, time: 0)
        case 14 where dot == s.count:
            let date = integer / 1_000_000
            let time = integer % 1_000_000
            guard time / 10_000 <= 23, time / 100 % 100 <= 59, time % 100 <= 59 else { return .failure(.outOfRange) }
            return civil(
                year: date / 10_000, month: date / 100 % 100, day: date % 100,
                time: time / 10_000 * 3600 + time / 100 % 100 * 60 + time % 100)
        default:
            guard integer < 100_000 else { return .failure(.unrecognized) }
            guard integer >= 1 else { return .failure(.outOfRange) }
            return .success(fromExcelSerial(Double(integer) + fraction, date1904: false))
        }
    }

    private func civil(year: Int64, month: Int64, day: Int64, time: Int64) -> Result<Date, DateRefusal> {
        guard year >= 1900, year <= 2200, month >= 1, month <= 12, day >= 1,
            day <= Civil.daysIn(month: month, year: year)
        else { return .failure(.outOfRange) }
        let local = Civil.days(year: year, month: month, day: day) * 86_400 + time
        return .success(Date(timeIntervalSince1970: Double(utc(fromLocal: local))))
    }

    private func isAllDigits(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard start < s.count else { return false }
        for i in start..<s.count where s[i] < 0x30 || s[i] > 0x39 { return false }
        return true
    }
}
