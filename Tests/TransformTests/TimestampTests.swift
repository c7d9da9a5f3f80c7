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

    @Test(
        "dates, in the parser's zone",
        arguments: [
            "2026-01-05", "2026/1/5", "2026.1.5", "2026-1-5", "2026/01/05", "2026年1月5日", "2026年01月05日",
            "２０２６年１月５日", "２０２６－０１－０５", "20260105", " 2026-01-05 ",
        ])
    func dates(raw: String) throws {
        #expect(try Self.shanghai.parse(raw).get().timeIntervalSince1970 == Self.midnight)
    }

    /// Each value with its time after 2026-01-05T00:00:00+08:00, in seconds.
    @Test(
        "dates with a time",
        arguments: [
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

    /// Each value with its time after 2026-11-21T00:00:00+08:00, in seconds: what CRM exports
    /// write besides ISO 8601.
    @Test(
        "compact, Chinese and 12-hour forms",
        arguments: [
            ("20261121", 0.0),
            ("20261121 14:33", 52_380),
            ("20261121  14:33:05", 52_385),
            ("20261121 1433", 52_380),
            ("20261121 143305", 52_385),
            ("20261121T143305", 52_385),
            ("20261121T143305Z", 81_185),
            ("20261121143305", 52_385),
            ("20261121 2:33 PM", 52_380),
            ("2026-11-21 2:33 PM", 52_380),
            ("2026-11-21 2:33PM", 52_380),
            ("2026-11-21 2:33 p.m.", 52_380),
            ("2026/11/21 2:33 pm", 52_380),
            ("2026-11-21 9:05 a.m.", 32_700),
            ("2026-11-21 下午2:33", 52_380),
            ("2026-11-21下午2:33", 52_380),
            ("2026年11月21日 下午2点33分", 52_380),
            ("2026年11月21日下午2点33分", 52_380),
            ("2026年11月21日 晚上8点", 72_000),
            ("2026年11月21日 中午12点05分", 43_500),
            ("2026年11月21日 14时33分", 52_380),
            ("2026年11月21日14时33分05秒", 52_385),
            ("２０２６年１１月２１日　１４：３３", 52_380),
        ])
    func exportForms(raw: String, sinceMidnight: Double) throws {
        let date = try Self.shanghai.parse(raw).get()
        #expect(date.timeIntervalSince1970 - 1_795_190_400 == sinceMidnight)
    }

    /// 2026-11-21T14:33:00+08:00, and 2026-12-11 (or 2026-11-12) at midnight.
    static let novemberTwentyFirst = 1_795_242_780.0
    static let decemberEleventh = 1_796_918_400.0
    static let novemberTwelfth = 1_794_412_800.0

    @Test(
        "day first with date_order: dmy",
        arguments: [
            ("21/11/2026 14:33", novemberTwentyFirst),
            ("21.11.2026 14:33", novemberTwentyFirst),
            ("21-11-2026 2:33 PM", novemberTwentyFirst),
            ("21/11/2026 下午2:33", novemberTwentyFirst),
            ("11/12/2026", decemberEleventh),
            ("11-12-2026", decemberEleventh),
            ("11.12.2026", decemberEleventh),
            ("2026-11-21 14:33", novemberTwentyFirst),  // year first stays year first
        ])
    func dayFirst(raw: String, seconds: Double) throws {
        #expect(try Self.shanghai.with(dateOrder: .dmy).parse(raw).get().timeIntervalSince1970 == seconds)
    }

    @Test(
        "month first with date_order: mdy",
        arguments: [
            ("11/21/2026 14:33", novemberTwentyFirst),
            ("11/21/2026 2:33 PM", novemberTwentyFirst),
            ("11-21-2026 2:33PM", novemberTwentyFirst),
            ("11/12/2026", novemberTwelfth),
            ("2026/11/21 14:33", novemberTwentyFirst),
        ])
    func monthFirst(raw: String, seconds: Double) throws {
        #expect(try Self.shanghai.with(dateOrder: .mdy).parse(raw).get().timeIntervalSince1970 == seconds)
    }

    /// Without date_order a day- or month-first date is never guessed, not even one that can
    /// be read one way only: a file is read all one way or refused all alike.
    @Test(
        "day or month first without date_order",
        arguments: [
            ("11/12/2026", nil as DateOrder?, DateRefusal.ambiguous),
            ("21/11/2026", nil, .ambiguous),
            ("11/21/2026", nil, .ambiguous),
            ("21.11.2026 14:33", nil, .ambiguous),
            ("1-2-2026", nil, .ambiguous),
            ("21/11/2026 25:00", nil, .ambiguous),
            ("21/11/2026 14:33x", nil, .unrecognized),
            ("11/21/2026", .dmy, .outOfRange),  // no 21st month
            ("21/11/2026", .mdy, .outOfRange),
            ("31/02/2026", .dmy, .outOfRange),
            ("21/11/26", .dmy, .unrecognized),  // a two-digit year is a second guess
            ("21/11-2026", .dmy, .unrecognized),
            ("121/11/2026", .dmy, .unrecognized),
        ])
    func dayOrMonthFirstRefusals(raw: String, order: DateOrder?, refusal: DateRefusal) {
        #expect(Self.shanghai.with(dateOrder: order).parse(raw) == .failure(refusal))
    }

    @Test(
        "times that are not read",
        arguments: [
            ("2026-11-21 1433", DateRefusal.unrecognized),  // a compact time only after a compact date
            ("20261121 143", .unrecognized),
            ("20261121 14330", .unrecognized),
            ("20261121 1433:00", .unrecognized),
            ("2026-01-05 08:00.5", .unrecognized),  // a fraction of a minute
            ("20261121 2460", .outOfRange),
            ("20261121 14:33 P.", .unrecognized),
            ("20261321 14:33", .outOfRange),
        ])
    func unreadTimes(raw: String, refusal: DateRefusal) {
        #expect(Self.shanghai.parse(raw) == .failure(refusal))
    }

    @Test(
        "ISO 8601 with an offset ignores the parser's zone",
        arguments: [
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

    @Test(
        "Unix seconds and milliseconds",
        arguments: [
            ("1793579062", 1_793_579_062.0),
            ("1793579062000", 1_793_579_062.0),
            ("1793579062123", 1_793_579_062.123),
            ("1793579062.5", 1_793_579_062.5),
        ])
    func unixTimes(raw: String, seconds: Double) throws {
        #expect(abs(try Self.shanghai.parse(raw).get().timeIntervalSince1970 - seconds) < 0.000_5)
    }

    @Test(
        "bare Excel serial numbers, 1900 system, in the parser's zone",
        arguments: [
            ("46347", 1_795_190_400.0),  // 2026-11-21
            ("46347.0", 1_795_190_400.0),
            ("46347.91319444444", 1_795_269_300.0),  // 21:54:59.99999… rounds to 21:55:00
            ("46347.5", 1_795_233_600.0),
            ("45662", 1_736_006_400.0),  // 2025-01-05
        ])
    func excelSerials(raw: String, seconds: Double) throws {
        #expect(try Self.shanghai.parse(raw).get().timeIntervalSince1970 == seconds)
    }

    @Test(
        "Excel's 1900 system with its leap-year bug, and the 1904 system",
        arguments: [
            (1.0, false, -2_208_988_800.0),  // 1900-01-01
            (59.0, false, -2_203_977_600.0),  // 1900-02-28
            (60.0, false, -2_203_977_600.0),  // the 29 February 1900 that never was
            (61.0, false, -2_203_891_200.0),  // 1900-03-01
            (0.0, true, -2_082_844_800.0),  // 1904-01-01
            (44885.0, true, 1_795_219_200.0),  // 2026-11-21
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

    @Test(
        "values that are no date",
        arguments: [
            ("", DateRefusal.empty),
            ("  ", .empty),
            ("无", .placeholder),
            ("暂无", .placeholder),
            ("-", .placeholder),
            ("N/A", .placeholder),
            ("null", .placeholder),
            ("Jan 5 2026", .unrecognized),
            ("5/1/2026", .ambiguous),
            ("9999999999", .outOfRange),  // Unix seconds in 2286
            ("9999999999999", .outOfRange),  // and milliseconds
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

    /// A number column mapped as a date: 19 or more digits used to overflow Int64 and trap.
    @Test(
        "numbers of any length are refused, never trapped on",
        arguments: [
            "9223372036854775807",  // Int64.max
            "9223372036854775808",
            "9999999999999999999",  // a CSV cell of nines
            "10000000000000000000",  // JSON 1e19, as the reader spells it
            "99999999999999999999.5",
            "123456789012345",
            String(repeating: "9", count: 40),
            String(repeating: "9", count: 47) + ".5",
            String(repeating: "9", count: 400),
        ])
    func longNumbers(raw: String) {
        #expect(Self.shanghai.parse(raw) == .failure(.unrecognized))
    }

    @Test(
        "a long fraction is read, not trapped on",
        arguments: [
            ("46347." + String(repeating: "0", count: 40), 1_795_190_400.0),
            ("1793579062." + String(repeating: "0", count: 30), 1_793_579_062.0),
            ("2026-01-05 08:00:00." + String(repeating: "0", count: 25), eight),
        ])
    func longFractions(raw: String, seconds: Double) throws {
        #expect(abs(try Self.shanghai.parse(raw).get().timeIntervalSince1970 - seconds) < 0.000_5)
    }

    @Test(
        "Excel serials beyond any date give no instant",
        arguments: [
            1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 1e15, Double(Int64.max), Double(Int64.min),
        ])
    func hugeExcelSerials(serial: Double) {
        let date = Self.shanghai.fromExcelSerial(serial, date1904: false)
        #expect(!date.timeIntervalSince1970.isFinite)
        #expect(Self.shanghai.iso8601(date) == "")
    }

    @Test func leapDays() throws {
        #expect(try Self.shanghai.parse("2024-02-29").get().timeIntervalSince1970 == 1_709_136_000)
        #expect(try Self.shanghai.parse("2000-02-29").get().timeIntervalSince1970 == 951_753_600)
    }

    @Test(
        "ISO 8601 output in the parser's zone",
        arguments: [
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
    @Test(
        "dates in a zone's local mean time read back as themselves",
        arguments: [
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

/// Stored times compare as instants, whatever their offsets.
@Suite struct StoredTimeTests {
    @Test(arguments: [
        // Across New York's fall-back hour: 01:10 EST is 06:10Z, after 01:30 EDT (05:30Z).
        ("2026-11-01T01:10:00-05:00", "2026-11-01T01:30:00-04:00", true),
        ("2026-11-21T10:00:00+08:00", "2026-11-21T03:00:00Z", false),  // the same instant
        ("2026-11-21T11:00:01+08:00", "2026-11-21T03:00:00+00:00", true),
        ("2026-11-21T09:00:00+08:00", "2026-11-21T10:00:00+09:00", false),
    ])
    func laterIsByInstant(a: String, b: String, later: Bool) {
        #expect(TimestampParser.isLater(a, than: b) == later)
    }

    @Test func wholeSecondsRoundDownAndNeverTrap() {
        #expect(Date(timeIntervalSince1970: 1_763_690_400.9).wholeSeconds == 1_763_690_400)
        #expect(Date(timeIntervalSince1970: -0.5).wholeSeconds == -1)
        #expect(Date(timeIntervalSince1970: .nan).wholeSeconds == 0)
        #expect(Date(timeIntervalSince1970: 1e300).wholeSeconds == 0)
    }
}
