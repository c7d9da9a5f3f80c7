/// Why an address was refused: the machine-readable reason code.
package enum AddressRefusal: String, Sendable, Error, CaseIterable {
    /// Nothing but blanks, or a stand-in for "no address" (无, 不详, -).
    case empty
    /// No province, city or district could be found in it.
    case unresolved
    /// It names a division that exists in several provinces (朝阳区: Beijing or Changchun) and
    /// nothing else in it, nor the hint, says which.
    case ambiguous
}

/// A Chinese postal address split into its administrative divisions and the rest.
///
/// ```swift
/// let address = try AddressParser().parse("广东深圳南山科技园科苑路１５号").get()
/// address.province  // "广东省"
/// address.city      // "深圳市"
/// address.district  // "南山区"
/// address.adcode    // "440305"
/// address.detail    // "科技园科苑路15号"
/// address.level     // .district
/// ```
package struct NormalizedAddress: Sendable, Hashable {
    /// How far down the divisions were resolved.
    package enum Level: String, Sendable, CaseIterable {
        case province, city, district, none
    }

    /// Official full names. A municipality is its own city (北京市 北京市 朝阳区); so is a
    /// county-level city governed directly by its province (湖北省 仙桃市 仙桃市).
    package var province: String?
    package var city: String?
    package var district: String?
    /// The GB/T 2260 code of the most specific division resolved, 6 digits ("440305").
    package var adcode: String?
    /// The rest: street, number, building, room; full-width folded, blanks and separators removed.
    package var detail: String
    package var level: Level
    /// The retired division name the address was written with (南京白下区: 白下区, 2013, 秦淮区),
    /// or, when that name's area was split (杭州江干区), the name left in the detail.
    package var retired: RetiredName?

    package init(
        province: String? = nil, city: String? = nil, district: String? = nil, adcode: String? = nil,
        detail: String = "", level: Level = .none
    ) {
        self.province = province
        self.city = city
        self.district = district
        self.adcode = adcode
        self.detail = detail
        self.level = level
    }

    /// Whether the address is resolved as far as the divisions go: down to the district, or to a
    /// city that has no districts (东莞市, 中山市, 嘉峪关市).
    package var isComplete: Bool {
        switch level {
        case .district: true
        case .city:
            adcode.flatMap { Int32($0) }.flatMap { Gazetteer.shared.division(code: $0) }.map { !$0.hasDistricts } ?? false
        case .province, .none: false
        }
    }
}

/// Parses Chinese addresses against the GB/T 2260 gazetteer.
///
/// It reads the divisions from the front of the address, in any of the forms people write
/// (`广东省深圳市南山区`, `广东深圳南山`, `四川省 阿坝藏族羌族自治州 壤塘县`, `北京北京市朝阳区`),
/// infers the missing parents of a division (`临沂市兰山区` → 山东省), and leaves the rest as the
/// detail. A name shared by several divisions (鼓楼区) is settled by the other parts, then by
/// `areaHint`, then, when the text names no city, in favour of a district of a municipality or
/// sub-provincial city over one of an ordinary prefecture (南山区 → 深圳, not 鹤岗); what stays
/// uncertain is left out, and only an address of which not even the province is certain is
/// refused as `ambiguous`.
///
/// Pure and thread-safe; the gazetteer loads once, at first use.
package struct AddressParser: Sendable {
    package init() {
        _ = Gazetteer.shared
    }

    /// - Parameters:
    ///   - areaHint: a city (or province, or district) as a 6-digit adcode (`"350100"`), a code
    ///     prefix (`"3501"`), a name (`"福州市"`, `"福州"`) or a telephone area code (`"0591"`),
    ///     typically from a landline's area code; used only to choose between divisions the
    ///     address itself leaves open, never to fill in what it does not say.
    package func parse(_ raw: some StringProtocol, areaHint: String? = nil) -> Result<NormalizedAddress, AddressRefusal> {
        AddressReader(TextFolding.fold(raw)).read(areaHint: areaHint)
    }
}

/// One parse: the folded text, the cursor, and the divisions still possible.
struct AddressReader {
    /// A resolution of the divisions read so far: indices into the gazetteer, -1 where unknown.
    struct Chain: Equatable {
        var province: Int32 = -1
        var city: Int32 = -1
        var district: Int32 = -1
        var isEmpty: Bool { province < 0 }
    }

    let text: [Unicode.Scalar]
    let gazetteer = Gazetteer.shared

    init(_ text: [Unicode.Scalar]) {
        self.text = text
    }

    func read(areaHint: String?) -> Result<NormalizedAddress, AddressRefusal> {
        var position = 0
        var end = text.count
        while position < end && Self.isSeparator(text[position]) { position += 1 }
        while end > position && Self.isSeparator(text[end - 1]) { end -= 1 }
        if position == end || Self.isPlaceholder(text[position..<end]) { return .failure(.empty) }
        let textStart = position
        position = skipPreamble(from: position)

        var chains = [Chain()]
        var namedParent = false
        // Where each name read starts, and its level: the text of a level left out as uncertain
        // stays in the detail (江苏省鼓楼区中山路: province 江苏省, detail 鼓楼区中山路).
        var starts: [Start] = []
        while position < end {
            var start = position
            while start < end && Self.isSeparator(text[start]) { start += 1 }
            var reading = bestToken(at: start, end: end, chains: chains)
            if reading == nil && starts.isEmpty, let divisions = afterProse(from: textStart, end: end) {
                start = divisions
                reading = bestToken(at: start, end: end, chains: chains)
            }
            guard let reading else { break }
            chains = reading.chains
            namedParent = namedParent || reading.level < .district
            starts.append(Start(position: start, length: reading.length, level: reading.level))
            position = start + reading.length
            if chains.allSatisfy({ $0.district >= 0 }) { break }
        }
        if chains.count == 1 && chains[0].isEmpty { return .failure(.unresolved) }

        if chains.count > 1, let areaHint { chains = Self.narrow(chains, by: hintChains(areaHint)) }
        if chains.count > 1 && !namedParent { chains = prominent(chains) }
        guard let chain = common(chains) else { return .failure(.ambiguous) }
        let depth: Gazetteer.Level = chain.district >= 0 ? .district : chain.city >= 0 ? .city : .province
        if let dropped = starts.first(where: { $0.level > depth }) { position = dropped.position }

        var address = NormalizedAddress(detail: AddressDetail.normalize(text[position..<end]))
        let province = gazetteer.divisions[Int(chain.province)]
        address.province = province.name
        address.adcode = province.adcode
        address.level = .province
        if chain.city >= 0 {
            let city = gazetteer.divisions[Int(chain.city)]
            address.city = city.name
            address.adcode = city.adcode
            address.level = .city
        }
        if chain.district >= 0 {
            let district = gazetteer.divisions[Int(chain.district)]
            address.district = district.name
            address.adcode = district.adcode
            address.level = .district
        }
        address.retired = retiredName(chain, starts: starts, detail: position, end: end)
        return .success(address)
    }

    // MARK: Reading divisions

    /// Where a name was read, how long it is and its level.
    struct Start {
        var position: Int
        var length: Int
        var level: Gazetteer.Level
    }

    /// A way to read the text at the cursor: how many scalars, the chains it leaves, its level.
    typealias Reading = (length: Int, chains: [Chain], level: Gazetteer.Level)

    /// The name at `start` that fits one of `chains`, and the chains it leaves: the longest, unless
    /// only a shorter one lets the next name be read too (山东青岛市北和平路: 青岛 + 市北, not 青岛市 +
    /// 北和平路).
    func bestToken(at start: Int, end: Int, chains: [Chain]) -> Reading? {
        var longest: Reading?
        var chosen: Reading?
        forEachReading(at: start, end: end, chains: chains, lookahead: true) { reading, alternatives in
            if longest == nil {
                longest = reading
                // A single name here: nothing to weigh it against.
                if alternatives == 1 { return false }
            }
            if continues(reading, from: start, end: end) {
                chosen = reading
                return false
            }
            return true
        }
        return chosen ?? longest
    }

    /// Whether another name can be read right after `reading`.
    private func continues(_ reading: Reading, from start: Int, end: Int) -> Bool {
        guard reading.chains.contains(where: { $0.district < 0 }) else { return false }
        var next = start + reading.length
        while next < end && Self.isSeparator(text[next]) { next += 1 }
        var found = false
        forEachReading(at: next, end: end, chains: reading.chains, lookahead: false) { _, _ in
            found = true
            return false
        }
        return found
    }

    /// Calls `body` with every name at `start` that fits one of `chains`, longest first, with the
    /// chains it leaves and the number of names found there, until `body` returns false.
    /// A short form followed by what looks like a street (中山|路) is read only when a division
    /// follows it (石家庄|桥西 is 桥西区, not 桥 + 西…); without `lookahead` it is not read at all.
    @discardableResult
    private func forEachReading(
        at start: Int, end: Int, chains: [Chain], lookahead: Bool,
        _ body: (Reading, Int) -> Bool
    ) -> Int {
        withUnsafeTemporaryAllocation(of: (Int, Int32).self, capacity: 24) { hits in
            var count = 0
            gazetteer.forEachNode(in: text, from: start, to: end) { length, node in
                if count < hits.count {
                    hits[count] = (length, node)
                    count += 1
                }
            }
            var index = count
            while index > 0 {
                index -= 1
                let (length, node) = hits[index]
                var full = Candidates()
                var retired = Candidates()
                var short = Candidates()
                for match in gazetteer.matches(at: node) {
                    let division = gazetteer.divisions[Int(match.division)]
                    for chain in chains {
                        // A retired short form (白下) only after its city (南京白下): alone it is too
                        // likely a word of the street.
                        if match.isRetired && match.isShort && division.level == .district && chain.city < 0 { continue }
                        guard let merged = merge(chain, division, index: match.division) else { continue }
                        if match.isShort {
                            short.add(merged, level: division.level, isRepeat: merged == chain)
                        } else if match.isRetired {
                            retired.add(merged, level: division.level, isRepeat: merged == chain)
                        } else {
                            full.add(merged, level: division.level, isRepeat: merged == chain)
                        }
                    }
                }
                // A division in force comes before a retired name (东山区 alone is 鹤岗's, not
                // the old 广州东山区).
                guard let reading = full.reading(length) ?? retired.reading(length) ?? short.reading(length) else { continue }
                if full.isEmpty && retired.isEmpty && Self.beginsStreet(text, at: start + length, end: end) {
                    guard lookahead, continues(reading, from: start, end: end) else { continue }
                }
                if !body(reading, count) { break }
            }
            return count
        }
    }

    /// The chains one name leaves. An official name beats a short form; a name that adds a level
    /// beats one that repeats a level already read (临夏临夏: the prefecture, then 临夏市); among the
    /// rest the higher level wins (吉林 is the province before the city, 朝阳 the city before
    /// Beijing's district).
    private struct Candidates {
        var chains: [Chain] = []
        var level = Gazetteer.Level.district
        var isRepeat = true

        var isEmpty: Bool { chains.isEmpty }

        mutating func add(_ chain: Chain, level: Gazetteer.Level, isRepeat: Bool) {
            if chains.isEmpty || (self.isRepeat && !isRepeat) || (self.isRepeat == isRepeat && level < self.level) {
                chains = [chain]
                self.level = level
                self.isRepeat = isRepeat
            } else if self.isRepeat == isRepeat && level == self.level && !chains.contains(chain) {
                chains.append(chain)
            }
        }

        func reading(_ length: Int) -> Reading? {
            chains.isEmpty ? nil : (length, chains, level)
        }
    }

    /// `chain` with `division` read into it, or nil when the division does not fit.
    private func merge(_ chain: Chain, _ division: Gazetteer.Division, index: Int32) -> Chain? {
        if chain.province >= 0 && chain.province != division.province { return nil }
        switch division.level {
        case .province:
            // 北京北京市: the municipality named twice.
            if chain.province >= 0 { return chain.district < 0 && chain.city == division.impliedCity ? chain : nil }
            return Chain(province: index, city: division.impliedCity, district: -1)
        case .city:
            if chain.district >= 0 { return nil }
            if chain.city >= 0 { return chain.city == index ? chain : nil }
            return Chain(province: division.province, city: index, district: -1)
        case .district:
            if chain.district >= 0 { return nil }
            if chain.city >= 0 && chain.city != division.city { return nil }
            return Chain(province: division.province, city: division.city, district: index)
        }
    }

    /// Chains that agree with the hint, when some do.
    private static func narrow(_ chains: [Chain], by hints: [Chain]) -> [Chain] {
        func agrees(_ chain: Chain, _ hint: Chain) -> Bool {
            chain.province == hint.province
                && (chain.city < 0 || hint.city < 0 || chain.city == hint.city)
                && (chain.district < 0 || hint.district < 0 || chain.district == hint.district)
        }
        let kept = chains.filter { chain in hints.contains { agrees(chain, $0) } }
        return kept.isEmpty ? chains : kept
    }

    /// The hint as chains: an adcode, a code prefix, a telephone area code or a name.
    private func hintChains(_ hint: String) -> [Chain] {
        let folded = TextFolding.fold(hint).filter { $0 != " " }
        var indices: [Int32] = []
        if !folded.isEmpty && folded.allSatisfy({ TextFolding.isASCIIDigit($0.value) }) {
            if folded[0] == "0" {
                // Adcodes never start with 0; telephone area codes (0591) always do.
                for city in AreaCodes.lookup(TextFolding.string(folded))?.cities ?? [] {
                    indices += gazetteer.divisions(named: Array(city.unicodeScalars))
                }
            } else if folded.count <= 6, var code = Int32(TextFolding.string(folded)) {
                for _ in folded.count..<6 { code *= 10 }
                for candidate in [code, code / 100 * 100, code / 10_000 * 10_000] {
                    if let index = gazetteer.index(code: candidate) {
                        indices = [index]
                        break
                    }
                }
            }
        } else {
            indices = gazetteer.divisions(named: folded)
        }
        return indices.compactMap { index in merge(Chain(), gazetteer.divisions[Int(index)], index: index) }
    }

    /// Among chains that differ in their city, the one in a municipality or sub-provincial city
    /// when every other is in an ordinary prefecture: people who write an address in 南山区 with
    /// neither province nor city mean Shenzhen's. Otherwise the chains unchanged.
    private func prominent(_ chains: [Chain]) -> [Chain] {
        func rank(_ chain: Chain) -> UInt8 { chain.city >= 0 ? gazetteer.divisions[Int(chain.city)].rank : 0 }
        let major = chains.filter { rank($0) >= 3 }
        guard major.count == 1, chains.allSatisfy({ rank($0) >= 3 || rank($0) == 1 }) else { return chains }
        return major
    }

    /// What all chains agree on; nil when not even the province is certain.
    private func common(_ chains: [Chain]) -> Chain? {
        guard var result = chains.first else { return nil }
        for chain in chains.dropFirst() {
            if chain.province != result.province { return nil }
            if chain.city != result.city { result.city = -1 }
            if chain.district != result.district { result.district = -1 }
        }
        if result.city < 0 { result.district = -1 }
        return result
    }

    // MARK: Text around the divisions

    /// Skips a field label, a country name or a postal code before the divisions (地址：, 中国,
    /// 518000).
    func skipPreamble(from start: Int) -> Int {
        var position = start
        func skipSeparators() {
            while position < text.count && (Self.isSeparator(text[position]) || text[position] == ":") { position += 1 }
        }
        for prefix in Self.preambles {
            if text.count - position >= prefix.count && zip(text[position...], prefix).allSatisfy({ $0 == $1 }) {
                position += prefix.count
                skipSeparators()
            }
        }
        var digits = position
        while digits < text.count && TextFolding.isASCIIDigit(text[digits].value) { digits += 1 }
        if digits - position == 6 && digits < text.count && !TextFolding.isASCIIDigit(text[digits].value) {
            position = digits
            skipSeparators()
        }
        return position
    }

    private static let preambles: [[Unicode.Scalar]] = ["地址", "住址", "中华人民共和国", "中国"]
        .map { Array($0.unicodeScalars) }

    /// Whether the text at `position` goes on as a street after a short name: 中山|路, 朝阳|北路,
    /// 中山|东一路, 长江|大道, 人民|公园, and 济南市|中山路 read as 济南|市中 (市中区) + 山路: a single
    /// character before a street word belongs to the street. Then the short name is not a division.
    static func beginsStreet(_ text: [Unicode.Scalar], at position: Int, end: Int) -> Bool {
        func isStreetWord(_ index: Int) -> Bool {
            guard index < end else { return false }
            switch text[index] {
            case "路", "街", "道", "巷", "弄", "桥": return true
            case "大": return index + 1 < end && (text[index + 1] == "道" || text[index + 1] == "街" || text[index + 1] == "厦")
            case "公": return index + 1 < end && text[index + 1] == "园"
            case "胡": return index + 1 < end && text[index + 1] == "同"
            case "广": return index + 1 < end && text[index + 1] == "场"
            default: return false
            }
        }
        var index = position
        if isStreetWord(index) || isStreetWord(index + 1) { return true }
        if index < end, isDirection(text[index]) { index += 1 }
        if index < end, isNumeral(text[index]) { index += 1 }
        return index > position && isStreetWord(index)
    }

    @inline(__always)
    private static func isDirection(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "东", "南", "西", "北", "中": true
        default: false
        }
    }

    @inline(__always)
    private static func isNumeral(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "一", "二", "三", "四", "五", "六", "七", "八", "九", "十": true
        default: false
        }
    }

    @inline(__always)
    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", ",", "，", "、", "/", "|", ";", "；", "-", "—", "·": true
        default: false
        }
    }

    private static let placeholders = ShortKeySet([
        "无", "暂无", "不详", "未知", "没有", "空", "无地址", "-", "--", "—", "/", "?", "n/a", "N/A", "null", "NULL", "#N/A",
    ])

    private static func isPlaceholder(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        placeholders.contains(text)
    }
}
