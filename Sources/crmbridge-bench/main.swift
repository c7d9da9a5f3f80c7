// Throughput of the normalizers on one thread, each against its target (docs/performance.md).
// Run it in release: `make bench-normalizers`. Inputs are synthetic and deterministic (fixed seed).
// `crmbridge-bench read FORMAT FILE COLUMN…` measures a reader instead (`make bench-readers`,
// `make bench-xlsx`).
import Extract
import Foundation
import Transform

if CommandLine.arguments.dropFirst().first == "read" {
    try benchReader(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}

/// The same inputs on every run, so that numbers compare across commits.
struct Random {
    var generator: SplitMix64
    init(state: UInt64) { generator = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ bound: Int) -> Int { generator.below(bound) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func digits(_ count: Int, first: ClosedRange<Int> = 0...9) -> String {
        var text = String(Int.random(in: first, using: &self))
        for _ in 1..<count { text += String(below(10)) }
        return text
    }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
extension Random: RandomNumberGenerator {}

/// ASCII digits and letters as their full-width forms (１３８…), as Chinese input methods type them.
func fullWidth(_ text: String) -> String {
    String(
        String.UnicodeScalarView(
            text.unicodeScalars.map { scalar in
                (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value - 0x21 + 0xFF01)! : scalar
            }))
}

func grouped(_ text: String, _ sizes: [Int], separator: String) -> String {
    var parts: [String] = []
    var rest = Substring(text)
    for size in sizes where !rest.isEmpty {
        parts.append(String(rest.prefix(size)))
        rest = rest.dropFirst(size)
    }
    if !rest.isEmpty { parts.append(String(rest)) }
    return parts.joined(separator: separator)
}

// MARK: - Inputs

let count = 4096
var random = Random(state: 2026)

let mobilePrefixes = [
    "130", "131", "135", "136", "138", "139", "150", "151", "158", "159", "166", "177", "180", "186",
    "187", "188", "189", "191", "198", "199",
]
let areaCodes = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512", "0591"]

@MainActor func mobile() -> String { random.pick(mobilePrefixes) + random.digits(8) }

@MainActor func phone() -> String {
    let number = mobile()
    switch random.below(16) {
    case 0: return number
    case 1: return "+86 " + grouped(number, [3, 4, 4], separator: " ")
    case 2: return "0086-" + grouped(number, [3, 4, 4], separator: "-")
    case 3: return "(+86)" + number
    case 4: return fullWidth(number)
    case 5: return "86" + number
    case 6: return number + ".0"  // Excel's float export
    case 7: return grouped(number, [3, 4, 4], separator: " ")
    case 8: return "(\(random.pick(areaCodes)))\(random.digits(8, first: 2...8))"
    case 9: return "\(random.pick(areaCodes))-\(random.digits(8, first: 2...8))转\(random.digits(3, first: 1...9))"
    case 10:
        return
            "\(random.pick(areaCodes)) \(random.digits(4, first: 2...8)) \(random.digits(4)) ext. \(random.digits(2, first: 1...9))"
    case 11: return "\(random.pick(areaCodes))\(random.digits(8, first: 2...8))#\(random.digits(4, first: 1...9))"
    case 12: return "400-" + grouped(random.digits(7, first: 1...9), [3, 4], separator: "-")
    case 13: return "800" + random.digits(7, first: 1...9)
    case 14: return "+1 415 555 " + random.digits(4)
    default: return random.pick(["138OO138000", "无", "1.38001E+10", "1380013800", "-", "12000138000"])
    }
}

let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
let divisions = [
    "110105", "110108", "310115", "310104", "440300", "440305", "440106", "330106", "330110", "510107",
    "371302", "420111", "350102", "320505",
]
let registrations = ["91", "91", "91", "92", "93", "12", "11", "51", "52", "53", "Y1"]

/// The GB 11714 organization code: 8 characters and their check character.
@MainActor func organizationCode() -> String {
    let weights = [3, 7, 9, 10, 5, 8, 4, 2]
    var body = ""
    var sum = 0
    for i in 0..<8 {
        let char = random.chance(70) ? Character(String(random.below(10))) : random.pick(Array(usccAlphabet[10...]))
        body.append(char)
        let value = char.isNumber ? Int(String(char))! : Int(char.asciiValue!) - 55  // A = 10
        sum += value * weights[i]
    }
    let check = 11 - sum % 11
    return body + (check == 10 ? "X" : check == 11 ? "0" : String(check))
}

/// A valid USCC: registration code, division, organization code, and the GB 32100 check character.
@MainActor func uscc() -> String {
    let first17 = Array(random.pick(registrations) + random.pick(divisions) + organizationCode())
    let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    var sum = 0
    for (i, char) in first17.enumerated() { sum += usccAlphabet.firstIndex(of: char)! * weights[i] }
    return String(first17) + String(usccAlphabet[(31 - sum % 31) % 31])
}

@MainActor func taxID() -> String {
    let code = uscc()
    switch random.below(10) {
    case 0, 1, 2, 3: return code
    case 4: return code.lowercased()
    case 5: return grouped(code, [4, 4, 4, 4], separator: " ")
    case 6: return grouped(code.lowercased(), [6, 6, 6], separator: "-")
    case 7: return fullWidth(code)
    case 8: return random.pick(divisions) + organizationCode()  // legacy 15
    default: return random.pick(["无", "91440300MA5FXT4K8Q", "9144030MA5FXT4K8N", "914403OOMA5FXT4K8N"])
    }
}

let surnames = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "林", "罗", "高", "单", "曾", "解", "区", "欧阳", "司马", "诸葛", "上官", "尉迟", "长孙",
]
let givenChars = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂天方舒丹晓红华建国志文")
let titles = ["先生", "女士", "经理", "总", "总经理", "老师", "小姐", "主任"]

@MainActor func name() -> String {
    let surname = random.pick(surnames)
    var given = String(random.pick(givenChars))
    if random.chance(70) { given.append(random.pick(givenChars)) }
    switch random.below(10) {
    case 0, 1, 2, 3: return surname + given
    case 4: return surname + given + random.pick(titles)
    case 5: return surname + given + "（" + random.pick(titles) + "）"
    case 6: return surname + " " + given
    case 7: return surname + random.pick(["总", "经理", "女士", "先生"])  // surname only
    case 8: return random.pick(["John Smith", "Mr. Lee", "Anna-Maria Rossi", "阿依古丽·买买提"])
    default: return random.pick(["无", "先生", "客户", "-", "12345"])
    }
}

/// Province, its short form, city, its short form, districts.
let places: [(String, String, String, String, [String])] = [
    ("广东省", "广东", "深圳市", "深圳", ["南山区", "福田区", "宝安区", "龙岗区"]),
    ("广东省", "广东", "广州市", "广州", ["天河区", "越秀区", "海珠区"]),
    ("北京市", "北京", "北京市", "北京", ["朝阳区", "海淀区", "东城区"]),
    ("上海市", "上海", "上海市", "上海", ["浦东新区", "徐汇区", "静安区"]),
    ("浙江省", "浙江", "杭州市", "杭州", ["西湖区", "余杭区", "滨江区"]),
    ("四川省", "四川", "成都市", "成都", ["武侯区", "锦江区", "青羊区"]),
    ("山东省", "山东", "临沂市", "临沂", ["兰山区", "罗庄区"]),
    ("湖北省", "湖北", "武汉市", "武汉", ["洪山区", "武昌区", "江汉区"]),
]
let streets = ["科技园科苑路", "建国路", "人民路", "中山大道", "解放路", "文三路", "天府大道"]

@MainActor func address() -> String {
    let (province, provinceShort, city, cityShort, districtList) = random.pick(places)
    let district = random.pick(districtList)
    let detail =
        random.pick(streets) + String(random.below(300) + 1) + "号"
        + (random.chance(40) ? "\(random.below(30) + 1)栋\(random.below(20) + 1)0\(random.below(9) + 1)室" : "")
    let districtShort = district.count > 2 ? String(district.dropLast()) : district
    switch random.below(8) {
    case 0, 1: return province + city + district + detail
    case 2: return provinceShort + cityShort + districtShort + detail
    case 3: return city + district + detail  // no province
    case 4: return district + detail  // district only
    case 5: return province + " " + city + " " + district + " " + fullWidth(detail)
    case 6: return cityShort + district + detail
    default: return random.pick(["无", "不详", "科技园科苑路15号", "-"])
    }
}

@MainActor func date() -> String {
    let year = 2000 + random.below(27), month = random.below(12) + 1, day = random.below(28) + 1
    let hour = random.below(24), minute = random.below(60), second = random.below(60)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    switch random.below(10) {
    case 0: return "\(year)-\(two(month))-\(two(day))"
    case 1: return "\(year)/\(month)/\(day) \(hour):\(two(minute))"
    case 2: return "\(year)年\(month)月\(day)日"
    case 3: return "\(year)\(two(month))\(two(day))"
    case 4: return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))+08:00"
    case 5: return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second)).123Z"
    case 6: return String(1_600_000_000 + random.below(200_000_000))  // Unix seconds
    case 7: return String(40_000 + random.below(6_000))  // Excel serial
    case 8: return "\(year).\(month).\(day) \(hour)时\(minute)分"
    default: return random.pick(["无", "0000-00-00", "2026-02-30", "next week"])
    }
}

@MainActor func make(_ generate: () -> String) -> [String] { (0..<count).map { _ in generate() } }

let phones = make(phone)
let taxIDs = make(taxID)
let names = make(name)
let addresses = make(address)
let dates = make(date)
let keyPairs: [(String, String)] = (0..<count).map { _ in
    (try! normalizePhone(mobile()).get().e164, try! normalizeTaxID(uscc()).get().value)
}

// MARK: - Timing

struct Measurement {
    var name: String
    var perSecond: Double
    var accepted: Double
    var target: Double?
}

/// Runs `body` over `inputs` in whole passes for at least `seconds` (after one warm-up pass that
/// also loads the tables); `body` returns a number derived from its result, summed into a
/// checksum so the optimizer cannot drop the work, and 0 for a refusal.
func measure<Input>(
    _ name: String, _ inputs: [Input], target: Double?, seconds: Double = 1.5,
    _ body: (Input) -> Int
) -> (Measurement, Int) {
    var checksum = 0
    var accepted = 0
    for input in inputs where body(input) != 0 { accepted += 1 }
    let clock = ContinuousClock()
    let start = clock.now
    var values = 0
    var elapsed = 0.0
    repeat {
        for input in inputs { checksum &+= body(input) }
        values += inputs.count
        let duration = clock.now - start
        elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    } while elapsed < seconds
    return (
        Measurement(
            name: name, perSecond: Double(values) / elapsed,
            accepted: Double(accepted) / Double(inputs.count), target: target), checksum
    )
}

let parser = AddressParser()
let timestamps = TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
let keyer = CustomerKeyer(secret: Array("bench-secret".utf8))

var checksum = 0
var results: [Measurement] = []
@MainActor func record(_ pair: (Measurement, Int)) {
    results.append(pair.0)
    checksum &+= pair.1
}

record(
    measure("phone", phones, target: 2_000_000) { raw in
        switch normalizePhone(raw) {
        case .success(let phone): phone.e164.utf8.count &+ (phone.extensionDigits?.utf8.count ?? 0)
        case .failure: 0
        }
    })
record(
    measure("tax ID", taxIDs, target: 2_000_000) { raw in
        switch normalizeTaxID(raw) {
        case .success(let id): id.value.utf8.count
        case .failure: 0
        }
    })
record(
    measure("name + pinyin", names, target: 1_000_000) { raw in
        switch normalizeName(raw) {
        case .success(let name): name.display.utf8.count &+ name.matchKey.utf8.count
        case .failure: 0
        }
    })
record(
    measure("address", addresses, target: 300_000) { raw in
        switch parser.parse(raw) {
        case .success(let address): address.detail.utf8.count &+ (address.adcode?.utf8.count ?? 1)
        case .failure: 0
        }
    })
record(
    measure("customer key", keyPairs, target: 400_000) { pair in
        keyer.key(phoneE164: pair.0, taxID: pair.1).hashValue | 1
    })
record(
    measure("date", dates, target: nil) { raw in
        switch timestamps.parse(raw) {
        case .success(let date): Int(date.timeIntervalSince1970) | 1
        case .failure: 0
        }
    })

func grouped(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var out = ""
    for (index, char) in digits.reversed().enumerated() {
        if index > 0 && index % 3 == 0 { out.append(",") }
        out.append(char)
    }
    return String(out.reversed())
}
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let space = String(repeating: " ", count: max(0, width - text.count))
    return right ? space + text : text + space
}

print("crmbridge-bench: \(count) synthetic values per normalizer, one thread")
print(
    pad("normalizer", 15) + pad("values/s", 13, right: true) + pad("target", 13, right: true) + "   " + pad("accepted", 9)
        + "verdict")
for result in results {
    let target = result.target.map { "≥ " + grouped($0) } ?? "none"
    let verdict = result.target.map { result.perSecond >= $0 ? "ok" : "BELOW" } ?? "-"
    print(
        pad(result.name, 15) + pad(grouped(result.perSecond), 13, right: true) + pad(target, 13, right: true) + "   "
            + pad(String(format: "%.0f%%", result.accepted * 100), 9) + verdict)
}
print("checksum \(checksum)")
