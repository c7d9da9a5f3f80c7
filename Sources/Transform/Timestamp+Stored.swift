import Foundation

extension TimestampParser {
    /// The zone of a pipeline's times when it names none (`timezone:`).
    package static let defaultTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The instant of a time as the store, the exports and the reports write it (ISO 8601 with
    /// its offset); nil for other text. The offset is in the text, so the zone does not matter.
    package static func instant(ofStored text: some StringProtocol) -> Date? {
        try? stored.parse(text).get()
    }

    private static let stored = TimestampParser(timeZone: TimeZone(secondsFromGMT: 0)!)

    /// Whether stored time `a` is later than `b`, as instants: ISO texts with other offsets (a
    /// pipeline in another zone, a daylight-saving change) do not sort as text. Text that is no
    /// stored time falls back to the text order.
    package static func isLater(_ a: String, than b: String) -> Bool {
        guard let x = instant(ofStored: a), let y = instant(ofStored: b) else { return a > b }
        return x > y
    }
}

extension Date {
    /// Whole seconds since 1970, rounded down: the one rounding of a time to the second, as it is
    /// written (ISO 8601), digested and compared. A time no Int64 holds counts as 0, never a trap.
    package var wholeSeconds: Int64 {
        let seconds = timeIntervalSince1970.rounded(.down)
        return seconds.isFinite && abs(seconds) < 9e15 ? Int64(seconds) : 0
    }
}
