import Foundation
import Yams

/// A holiday calendar file (`health.anomalies.calendar`): the days whose batches anomaly
/// detection neither judges nor learns from. China's public holidays move every year and come
/// with make-up working days (调休上班) on weekends, both unlike an ordinary day:
///
/// ```yaml
/// holidays: [2026-02-15..2026-02-23, 2026-10-01..2026-10-07]
/// workdays: [2026-02-14, 2026-02-28, 2026-09-20, 2026-10-10]
/// ```
enum HolidayCalendar {
    /// The listed days as `yyyy-MM-dd`; every problem is an issue of the calendar file.
    static func load(_ path: String) -> Result<Set<String>, ConfigError> {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return .failure(
                ConfigError([ConfigIssue(file: path, line: 0, column: 0, message: "cannot read the holiday calendar")]))
        }
        let root: Node?
        do {
            root = try PipelineLoader.compose(text)
        } catch let error as YamlError {
            return .failure(ConfigError([PipelineLoader.yamlIssue(error, file: path)]))
        } catch {
            return .failure(ConfigError([ConfigIssue(file: path, line: 1, column: 1, message: "not valid YAML")]))
        }
        var issues: [ConfigIssue] = []
        func issue(_ node: Node?, _ message: String) {
            issues.append(ConfigIssue(file: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message))
        }
        var days = Set<String>()
        guard let mapping = root?.mapping else {
            return .failure(
                ConfigError([ConfigIssue(file: path, line: 1, column: 1, message: "expected holidays: and workdays: lists")]))
        }
        for (key, value) in mapping {
            guard ["holidays", "workdays"].contains(key.string ?? "") else {
                issue(key, "unknown key '\(key.string ?? "")': expected holidays, workdays")
                continue
            }
            guard let items = value.sequence else {
                issue(value, "\(key.string ?? "") is a list of days (2026-10-01) or ranges (2026-10-01..2026-10-07)")
                continue
            }
            for item in items {
                guard let range = item.string.flatMap(Self.days) else {
                    issue(
                        item, "'\((item.string ?? "").prefix(40))' is not a day (2026-10-01) or a range (2026-10-01..2026-10-07)")
                    continue
                }
                days.formUnion(range)
            }
        }
        return issues.isEmpty ? .success(days) : .failure(ConfigError(issues))
    }

    /// `2026-10-01` or `2026-10-01..2026-10-07` (at most a year) as the days it covers.
    static func days(_ text: String) -> [String]? {
        let ends = text.components(separatedBy: "..").map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(ends.count), let first = date(ends[0]), let last = date(ends[ends.count - 1]), first <= last,
            last.timeIntervalSince(first) <= 366 * 86_400
        else { return nil }
        return stride(from: first.timeIntervalSince1970, through: last.timeIntervalSince1970, by: 86_400).map {
            label(Date(timeIntervalSince1970: $0))
        }
    }

    private static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-").map { Int($0) }
        guard text.count == 10, parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            let date = utc.date(from: DateComponents(year: year, month: month, day: day)), label(date) == text
        else { return nil }
        return date
    }

    private static func label(_ date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    // Days are calendar labels, not instants: counted in UTC so that no day is skipped or repeated.
    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
