import Foundation
import Testing
@testable import Transform

@Suite struct TimestampTests {
    static let shanghai = TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static let utc = TimestampParser(timeZone: TimeZone(identifier: "UTC")!)
    static let newYork = TimestampParser(timeZone: TimeZone(identifier: "America/New_York")!)

    /// 2026-01-05T00:00:00+08:00 and 2026-01-05T08:00:00+08:00.
    static let midnight = 1_767_542_400.0
    static let eight = 1_767_571_200.0

    @Test("dates, in the parser's zone", arguments: [
        "2026-01-05", "2026/1/5", "2026.1.5", "2026-1-5", "2026/01/05", "2026年1月5日", "2026年01月05日",
        "２０２６年１月５日", "２０２６－０１－０５", "20260105", " 2026-01-05 ",
    ])
    func dates(raw: String) throws {
        #expect(try Self.shanghai.parse(raw).get().timeIntervalSince1970 == Self.midnight)
    }

    /// Each value with its time after 2026-01-05T00:00:00+08:00, in seconds.
    @Test("dates with a time", arguments: [
        ("2026/1/5 8:00", 28_800.0),
        ("2026-01-05 08:00", 28_800),
        ("2026-01-05 08:00:00", 28_800),
        ("2026-01-05T08:00:00", 28_800),
        ("2026-01-05  8:00", 28_800),
        ("2026-01-05 08:00:00.123", 28_800.123),
        ("2026-01-05 08:00:00,5", 28_800.5),
        ("2026年1月5日 8:00", 28_800),
        ("2026年1月5日8时30分", 30_600),
        ("2026年1月5日 8时", 28_800),
        ("2026-01-05 08", 28_800),
        ("20260105080000", 28_800),
        ("2026-01-05 08:00 AM", 28_800),
        ("2026-01-05 8:00PM", 72_000),
        ("2026-01-05 12:30 AM", 1_800),
        ("2026-01-05 12:30 PM", 45_000),
        ("2026-01-05 下午3:00", 54_000),
        ("2026年1月5日下午3点", 54_000),
        ("2026年1月5日 上午8时30分", 30_600),
        ("2026-01-05 24:00", 86_400),
    ])
    func datesWithTimes(raw: String, sinceMidnight: Double) throws {
        let date = try Self.shanghai.parse(raw).get()
        #expect(abs(date.timeIntervalSince1970 - Self.midnight - sinceMidnight) < 0.000_5)
    }

    @Test("ISO 8601 with an offset ignores the parser's zone", arguments: [
        "2026-11-21T09:52:02+08:00", "2026-11-21T01:52:02Z", "2026-11-21T01:52:02z", "2026-11-21T09:52:02+0800",
        "2026-11-21T09:52:02+08", "2026-11-20T20:52:02-05:00", "2026-11-21 09:52:02 +08:00", "2026-11-21T01:52:02.000Z",
    ])
    func isoWithOffset(raw: String) throws {
        #expect(try Self.shanghai.parse(raw).get().timeIntervalSince1970 == 1_795_225_922)
        #expect(try Self.newYork.parse(raw).get().timeIntervalSince1970 == 1_795_225_922)
    }

    @Test func millisecondsAreKept() throws {
        let date = try Self.shanghai.parse("2026-11-19T23:12:55.123Z").get()
        #expect(abs(date.timeIntervalSince1970 - 1_795_129_975.123) < 0.000_5)
    }

    @Test("Unix seconds and milliseconds", arguments: [
        ("1793579062", 1_793_579_062.0),
        ("1793579062000", 1_793_579_062.0),
        ("1793579062123", 1_793_579_062.123),
        ("1793579062.5", 1_793_579_062.5),
    ])
    func unixTimes(raw: String, seconds: Double) throws {
        #expect(abs(try Self.shanghai.parse(raw).get().timeIntervalSince1970 - seconds) < 0.000_5)
    }

    @Test("bare Excel serial numbers, 1900 system, in the parser's zone", arguments: [
        ("46347", 1_795_190_400.0),                // 2026-11-21
        ("46347.0", 1_795_190_400.0),
        ("46347.91319444444", 1_795_269_300.0),    // 21:54:59.99999… rounds to 21:55:00
        ("46347.5", 1_795_233_600.0),
        ("45662", 1_736_006_400.0),                // 2025-01-05
    ])
    func excelSerials(raw: String, seconds: Double) throws {
        #expect(try Self.shanghai.parse(raw).get().timeIntervalSince1970 == seconds)
    }

    @Test("Excel's 1900 system with its leap-year bug, and the 1904 system", arguments: [
        (1.0, false, -2_208_988_800.0),     // 1900-01-01
        (59.0, false, -2_203_977_600.0),    // 1900-02-28
        (60.0, false, -2_203_977_600.0),    // the 29 February 1900 that never was
        (61.0, false, -2_203_891_200.0),    // 1900-03-01
        (0.0, true, -2_082_844_800.0),      // 1904-01-01
        (44885.0, true, 1_795_219_200.0),   // 2026-11-21
        (46347.0, false, 1_795_219_200.0),
        (46347.25, false, 1_795_240_800.0),
    ])
    func excelSystems(serial: Double, date1904: Bool, seconds: Double) {
        #expect(Self.utc.fromExcelSerial(serial, date1904: date1904).timeIntervalSince1970 == seconds)
    }

    @Test func zonesWithDaylightSavingTime() throws {
        // New York: EDT (−4) in July, EST (−5) in January.
        #expect(try Self.newYork.parse("2026-07-01 08:00").get().timeIntervalSince1970 == 1_782_907_200)
        #expect(try Self.newYork.parse("2026-01-05 08:00").get().timeIntervalSince1970 == 1_767_618_000)
        // China kept summer time from 1986 to 1991: 1988-06-01 12:00 was UTC+9.
        #expect(try Self.shanghai.parse("1988-06-01 12:00").get().timeIntervalSince1970 == 581_137_200)
        #expect(try Self.shanghai.parse("1988-12-01 12:00").get().timeIntervalSince1970 == 596_952_000)
    }

    @Test("values that are no date", arguments: [
        ("", DateRefusal.empty),
        ("  ", .empty),
        ("无", .placeholder),
        ("暂无", .placeholder),
        ("-", .placeholder),
        ("N/A", .placeholder),
        ("null", .placeholder),
        ("Jan 5 2026", .unrecognized),
        ("5/1/2026", .unrecognized),
        ("2026-01", .unrecognized),
        ("2026-01-05 傍晚8:00", .unrecognized),
        ("2026-01-05 8:0", .unrecognized),
        ("2026-01-05x", .unrecognized),
        ("2026-01/05", .unrecognized),
        ("2026-01-05T08:00:00+8", .unrecognized),
        ("123456789012", .unrecognized),
        ("2026-02-30", .outOfRange),
        ("2025-02-29", .outOfRange),
        ("2026-13-01", .outOfRange),
        ("2026-00-10", .outOfRange),
        ("2026-01-05 25:00", .outOfRange),
        ("2026-01-05 08:60", .outOfRange),
        ("2026-01-05 13:00 PM", .outOfRange),
        ("2026-01-05 0:30 AM", .outOfRange),
        ("2026-01-05T08:00:00+15:00", .outOfRange),
        ("0000-00-00", .outOfRange),
        ("9999-12-31", .outOfRange),
        ("1899-12-31", .outOfRange),
        ("20261301", .outOfRange),
        ("0", .outOfRange),
    ])
    func refusals(raw: String, refusal: DateRefusal) {
        #expect(Self.shanghai.parse(raw) == .failure(refusal))
    }

    @Test func leapDays() throws {
        #expect(try Self.shanghai.parse("2024-02-29").get().timeIntervalSince1970 == 1_709_136_000)
        #expect(try Self.shanghai.parse("2000-02-29").get().timeIntervalSince1970 == 951_753_600)
    }

    @Test("ISO 8601 output in the parser's zone", arguments: [
        (shanghai, eight, "2026-01-05T08:00:00+08:00"),
        (shanghai, midnight, "2026-01-05T00:00:00+08:00"),
        (shanghai, eight + 0.999, "2026-01-05T08:00:00+08:00"),
        (utc, eight, "2026-01-05T00:00:00+00:00"),
        (newYork, 1_782_907_200, "2026-07-01T08:00:00-04:00"),
        (newYork, 1_767_618_000, "2026-01-05T08:00:00-05:00"),
        (TimestampParser(timeZone: TimeZone(identifier: "Asia/Kolkata")!), eight, "2026-01-05T05:30:00+05:30"),
        (shanghai, 581_137_200, "1988-06-01T12:00:00+09:00"),
        (utc, -2_208_988_800, "1900-01-01T00:00:00+00:00"),
        (utc, 951_782_400, "2000-02-29T00:00:00+00:00"),
    ])
    func iso8601(parser: TimestampParser, seconds: Double, text: String) {
        #expect(parser.iso8601(Date(timeIntervalSince1970: seconds)) == text)
    }

    /// Found by fuzzing (fuzz/regressions/date/lmt-offset): before 1901 Shanghai kept local
    /// mean time, +8:05:43, and the output, which cannot show the 43 seconds, named another
    /// instant than the one read. Offsets are whole minutes both ways.
    @Test("dates in a zone's local mean time read back as themselves", arguments: [
        (shanghai, "210", "1900-07-28T00:00:00+08:05"),
        (shanghai, "1900-01-01 12:00", "1900-01-01T12:00:00+08:05"),
        (shanghai, "1900-01-01", "1900-01-01T00:00:00+08:05"),
    ])
    func localMeanTime(parser: TimestampParser, raw: String, text: String) throws {
        let date = try parser.parse(raw).get()
        #expect(parser.iso8601(date) == text)
        #expect(try parser.parse(text).get() == date)
    }

    @Test func iso8601RoundTrips() throws {
        var seconds = 946_684_800.0  // 2000-01-01, in steps of a prime number of seconds
        while seconds < 4_102_444_800 {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try Self.shanghai.parse(Self.shanghai.iso8601(date)).get() == date)
            #expect(try Self.newYork.parse(Self.newYork.iso8601(date)).get() == date)
            seconds += 7_919_993
        }
    }
}
