import Extract
import Foundation
import Transform

/// What the first values of a column look like to crmbridge's own normalizers: how many are
/// valid mobiles, landlines, USCCs, times, and how many differ. `crmbridge init` confirms a
/// header's meaning with it, or finds the meaning of a header that says nothing.
package struct ValueProfile: Sendable, Equatable {
    /// Non-blank values looked at.
    package var values = 0
    package var blanks = 0
    /// Distinct non-blank values (trimmed).
    package var distinct = 0
    /// Valid mainland mobiles (`normalizePhone`).
    package var mobiles = 0
    /// Valid landlines and 400/800 service numbers.
    package var landlines = 0
    /// Valid unified social credit codes (`normalizeTaxID`).
    package var taxIDs = 0
    /// Valid old 15-digit tax registration numbers.
    package var legacyTaxIDs = 0
    /// Values `TimestampParser` reads (with `dateOrder`, when the values settle one).
    package var times = 0
    /// Dates written day or month first (`05/11/2026`) that no order was settled for.
    package var ambiguousDates = 0
    /// The order the day- or month-first dates among the values settle: a first number over
    /// 12 is a day (`21/11/2026`), a second one over 12 is too (`11/21/2026`). nil when they
    /// settle none, or contradict each other.
    package var dateOrder: DateOrder?
    /// Whole numbers (durations, counts).
    package var integers = 0
    /// Names of companies (`…有限公司`, `…工作室`).
    package var companies = 0
    /// Full Chinese personal names (`normalizeName`).
    package var names = 0
    /// Addresses resolved at least to the city (`AddressParser`), longer than a city name.
    package var addresses = 0
    /// Values that are form answers (`姓名：张伟 手机：…`, two or more answers).
    package var labelledTexts = 0

    package init() {}

    /// Profiles `values`; `timeZone` is the pipeline's, for the timestamps.
    package init(_ values: [String], timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        var seen = Set<String>()
        var dayFirst = 0
        var monthFirst = 0
        let trimmed = values.map { $0.trimmingBlanks() }
        for value in trimmed {
            if value.isEmpty || Self.placeholders.contains(value) {
                blanks += 1
                continue
            }
            self.values += 1
            seen.insert(value)
            if let order = Self.dateOrderEvidence(value) {
                if order == .dmy { dayFirst += 1 } else { monthFirst += 1 }
            }
            if value.allSatisfy({ $0.isASCII && $0.isNumber }), value.count <= 9 { integers += 1 }
            switch normalizePhone(value) {
            case .success(let phone) where phone.kind == .mobile: mobiles += 1
            case .success(let phone) where phone.kind == .landline || phone.kind == .service: landlines += 1
            default: break
            }
            switch normalizeTaxID(value) {
            case .success(let taxID) where taxID.kind == .uscc: taxIDs += 1
            case .success: legacyTaxIDs += 1
            case .failure: break
            }
            if Self.isCompany(value) { companies += 1 }
            if value.count <= 6, case .success(let name) = normalizeName(value), name.kind == .full,
                value.unicodeScalars.allSatisfy({ !$0.isASCII })
            {
                names += 1
            }
            if value.count > 4, !Self.isCompany(value), case .success(let address) = Self.addresses.parse(value),
                address.city != nil || address.province != nil
            {
                addresses += 1
            }
            if labelledAnswers(in: value).count >= 2 { labelledTexts += 1 }
        }
        distinct = seen.count
        if dayFirst > 0 && monthFirst == 0 { dateOrder = .dmy }
        if monthFirst > 0 && dayFirst == 0 { dateOrder = .mdy }
        let parser = TimestampParser(timeZone: timeZone, dateOrder: dateOrder)
        for value in trimmed where !value.isEmpty && !Self.placeholders.contains(value) {
            // Small whole numbers read as Excel serial days (45581 is 2024-10-16): a column of ids
            // or amounts is no column of times.
            if value.allSatisfy({ $0.isASCII && $0.isNumber }), value.count < 8 { continue }
            switch parser.parse(value) {
            case .success: times += 1
            case .failure(.ambiguous): ambiguousDates += 1
            case .failure: break
            }
        }
    }

    /// "18/20": how many of the non-blank values count.
    package func share(_ count: Int) -> Double { values == 0 ? 0 : Double(count) / Double(values) }

    /// Every non-blank value differs from the others.
    package var unique: Bool { values > 0 && distinct == values }

    private static let addresses = AddressParser()
    private static let placeholders: Set<String> = ["-", "--", "—", "无", "暂无", "N/A", "n/a", "NA", "null", "NULL", "#N/A"]
    private static let companySuffixes = [
        "公司", "集团", "厂", "店", "工作室", "研究所", "研究院", "经营部", "事务所", "合作社",
        "商行", "门市部", "中心", "医院", "学校", "Co.", "Ltd", "Ltd.", "Inc", "Inc.",
        "LLC", "Limited", "Corp", "Corp.",
    ]

    static func isCompany(_ value: String) -> Bool {
        value.count >= 4 && (companySuffixes.contains { value.hasSuffix($0) } || value.contains("有限"))
    }

    /// `21/11/2026` says day first, `11/21/2026` month first; `05/11/2026` says nothing.
    static func dateOrderEvidence(_ value: String) -> DateOrder? {
        let numbers = value.prefix(10).split(whereSeparator: { "/.-".contains($0) }).prefix(3)
        guard numbers.count == 3, numbers[numbers.startIndex + 2].prefix(4).count == 4,
            let first = Int(numbers[numbers.startIndex]), let second = Int(numbers[numbers.startIndex + 1]),
            numbers[numbers.startIndex].count <= 2, numbers[numbers.startIndex + 1].count <= 2
        else { return nil }
        if first > 12 && second <= 12 { return .dmy }
        if second > 12 && first <= 12 { return .mdy }
        return nil
    }
}
