import Foundation
import Testing

@testable import Health
@testable import Pipeline

@Suite struct AnomalyConfigTests {
    /// A holiday calendar in a scratch folder; returns its path.
    func calendar(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("holidays-\(UUID().uuidString).yml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func readsTheSettingsTheCalendarAndAnomalyAlerts() throws {
        let path = try calendar(
            """
            holidays: [2026-09-30..2026-10-02]   # across a month's end
            workdays: [2026-09-20]
            """)
        let config = try parse(
            valid + """

                  anomalies: {batches: 21, min_batches: 10, sensitivity: 4, floor: 0.05, calendar: \(path), fail: [id_match]}
                alerts:
                  - type: wecom
                    url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K
                    on: [anomaly]
                """)
        let options = config.anomalies
        #expect(options.window == 21 && options.minimum == 10 && options.sensitivity == 4 && options.floor == 0.05)
        #expect(options.holidays == ["2026-09-20", "2026-09-30", "2026-10-01", "2026-10-02"])
        #expect(options.failOn == ["id_match"] && options.fails("id_match.crm") && !options.fails("id_matches"))
        #expect(config.alerts.first?.onAnomaly == true && config.alerts.first?.on == [])
    }

    @Test func defaultsWithoutTheKey() throws {
        #expect(try parse(valid).anomalies == AnomalyOptions())
    }

    @Test func aBadDayIsAnIssueOfTheCalendarFileAtItsLine() throws {
        let path = try calendar(
            """
            holidays:
              - 2026-02-30
              - 2026-10-07..2026-10-01
            weekends: []
            """)
        let found = issues(valid + "\n  anomalies: {calendar: \(path), batches: 5, min_batches: 7}\n")
        #expect(
            found.contains("\(path):2:5: '2026-02-30' is not a day (2026-10-01) or a range (2026-10-01..2026-10-07)"), "\(found)")
        #expect(found.contains { $0.hasPrefix("\(path):3:5: '2026-10-07..2026-10-01' is not a day") })
        #expect(found.contains("\(path):4:1: unknown key 'weekends': expected holidays, workdays"))
        #expect(found.contains { $0.contains("the holiday calendar \(path) has problems") })
        #expect(found.contains { $0.contains("min_batches (7) is more than batches (5)") })
    }
}
