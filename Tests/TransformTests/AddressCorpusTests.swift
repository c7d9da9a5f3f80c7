import Foundation
import Testing
import Transform

/// Accuracy of the name and address normalizers on a labelled corpus, when one is given.
///
/// `CRMBRIDGE_CORPUS_PAIRS` names a tab-separated file of raw values joined with their truth
/// (made by a throwaway script from a labelled development corpus, which this repository does not hold):
///
///     N  system  id  raw  expected_name  name_kind  name_pinyin  mess
///     A  system  id  raw  province  city  district  adcode  detail  addr_level  mess
///
/// Raw values escape tab, CR and LF as `\t`, `\r`, `\n`. Without the variable the tests are skipped.
struct CorpusAccuracyTests {
    static let path = ProcessInfo.processInfo.environment["CRMBRIDGE_CORPUS_PAIRS"]

    static func rows(_ kind: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path ?? "", encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.first == kind }
    }

    static func unescape(_ raw: String) -> String {
        raw.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
            .replacingOccurrences(of: "\\r", with: "\r")
    }

    /// A division name without its generic suffix, as the corpus scorer compares them.
    static func stem(_ name: String?) -> String {
        var name = name ?? ""
        for suffix in ["维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市", "区", "县"]
        where name.hasSuffix(suffix) && name.count > suffix.count + 1 {
            name.removeLast(suffix.count)
            break
        }
        return name
    }

    @Test(.enabled(if: path != nil)) func names() throws {
        var kinds = (0, 0), names = (0, 0), pinyin = (0, 0)
        for row in try Self.rows("N") where row.count >= 7 && !row[5].isEmpty {
            let result = normalizeName(Self.unescape(row[3]))
            let kind = (try? result.get().kind.rawValue) ?? "missing"
            kinds.1 += 1
            if kind == row[5] { kinds.0 += 1 } else { print("name kind: \(row[3]) → \(result), want \(row[5])") }
            guard row[5] == "full", let name = try? result.get() else { continue }
            names.1 += 1
            if name.name == row[4] { names.0 += 1 }
            if row[6].isEmpty { continue }
            pinyin.1 += 1
            let want = row[6].lowercased().filter(\.isLetter)
            let got = name.display.lowercased().filter(\.isLetter)
            if got.replacingOccurrences(of: "ü", with: "v") == want.replacingOccurrences(of: "ü", with: "v") {
                pinyin.0 += 1
            } else {
                print("pinyin: \(row[3]) → \(name.display), want \(row[6])")
            }
        }
        print("corpus names: kind \(kinds.0)/\(kinds.1), name \(names.0)/\(names.1), pinyin \(pinyin.0)/\(pinyin.1)")
        #expect(kinds.1 > 0)
        #expect(Double(kinds.0) >= 0.99 * Double(kinds.1))
        #expect(Double(names.0) >= 0.99 * Double(names.1))
        #expect(Double(pinyin.0) >= 0.99 * Double(pinyin.1))
    }

    @Test(.enabled(if: path != nil)) func addresses() throws {
        let parser = AddressParser()
        var province = (0, 0), city = (0, 0), district = (0, 0)
        for row in try Self.rows("A") where row.count >= 10 && (row[9] == "city" || row[9] == "district") {
            let address = try? parser.parse(Self.unescape(row[3])).get()
            province.1 += 1
            city.1 += 1
            district.1 += 1
            if Self.stem(address?.province) == Self.stem(row[4]) { province.0 += 1 }
            if Self.stem(address?.city) == Self.stem(row[5]) { city.0 += 1 }
            if Self.stem(address?.district) == Self.stem(row[6]) { district.0 += 1 }
            if address?.adcode != (row[7].isEmpty ? address?.adcode : row[7]) {
                print("address: \(row[3]) → \(String(describing: address)), want \(row[4...7])")
            }
        }
        print(
            "corpus addresses: province \(province.0)/\(province.1), city \(city.0)/\(city.1),",
            "district \(district.0)/\(district.1)")
        #expect(province.1 > 0)
        #expect(Double(province.0) >= 0.98 * Double(province.1))
        #expect(Double(city.0) >= 0.98 * Double(city.1))
        #expect(Double(district.0) >= 0.98 * Double(district.1))
    }
}
