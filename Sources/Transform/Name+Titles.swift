/// Titles, placeholders and decorations around contact names.
enum NameTitles {
    /// Titles written after a name, taken off whenever a name remains (张伟经理, 王小姐).
    static let suffixTitles: [String] = [
        "副总经理", "总经理", "董事长", "副总裁", "工程师", "负责人", "副经理", "总工程师",
        "先生", "女士", "小姐", "太太", "夫人", "经理", "总监", "总裁", "副总", "老总", "总工", "主任",
        "主管", "老板", "老师", "董事", "书记", "秘书", "助理", "会计", "出纳", "律师", "医生", "教授",
        "博士", "处长", "科长", "局长", "部长", "院长", "校长", "厂长", "所长", "站长", "店长", "行长",
        "组长", "班长", "队长", "师傅", "同学", "阿姨", "大哥", "大姐", "专员", "顾问", "老弟", "女生",
        "男士", "小哥", "美女", "帅哥",
    ]
    /// One-character titles, taken off only when a bare surname remains (张总, 李工, 欧阳董): after a
    /// full name they are more likely part of it.
    static let surnameTitles: [String] = ["总", "工", "董", "姐", "哥", "叔", "姨", "嫂", "老"]
    /// Familiar prefixes before a surname: 老王, 小李, 阿陈.
    static let prefixTitles: [Unicode.Scalar] = ["老", "小", "阿"]
    /// Field labels that end up inside a name cell (姓名：张伟).
    static let labels: Set<String> = ["姓名", "名字", "联系人", "联系人姓名", "客户姓名", "称呼", "名称", "对接人"]
    /// What people type for "no name".
    static let placeholders: Set<String> = [
        "无", "暂无", "没有", "未知", "不详", "不知道", "未填", "未填写", "待定", "待补充", "空", "匿名", "佚名",
        "无名", "无名氏", "某某", "某", "客户", "顾客", "用户", "微信用户", "测试", "测试用户", "测试客户", "游客",
        "-", "--", "---", "—", "——", "/", "\\", ".", "..", "...", "。", "?", "??", "???", "？", "*", "**", "***",
        "#", "x", "xx", "xxx", "xxxx", "n/a", "na", "#n/a", "null", "nil", "none", "unknown", "test", "tbd",
        "anonymous", "customer", "user", "noname", "0",
    ]
    static let latinTitles: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mme", "mlle"]

    private static let suffixes: [[UInt32]] = suffixTitles.map { $0.unicodeScalars.map(\.value) }
        .sorted { $0.count > $1.count }
    private static let shortSuffixes: Set<UInt32> = Set(surnameTitles.map { $0.unicodeScalars.first!.value })
    private static let suffixEnds: Set<UInt32> = Set(suffixes.map { $0.last! })
    // The sets are looked up once or twice per name: keyed by packed scalars, not by String,
    // whose hashing normalises non-ASCII text first.
    private static let titleKeys = ShortKeySet(suffixTitles + surnameTitles)
    private static let labelKeys = ShortKeySet(Array(labels))
    private static let placeholderKeys = ShortKeySet(Array(placeholders))
    private static let testPrefixes: [[Unicode.Scalar]] = [Array("测试".unicodeScalars), Array("test".unicodeScalars)]

    static func opening(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x28, 0x5B, 0x7B, 0x3010, 0x3014, 0x3008, 0x300A, 0x300C, 0x300E, 0x3016, 0x3018: true
        default: false
        }
    }

    static func closing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x29, 0x5D, 0x7D, 0x3011, 0x3015, 0x3009, 0x300B, 0x300D, 0x300F, 0x3017, 0x3019: true
        default: false
        }
    }

    /// Characters that separate a name from what follows it (张伟/经理, 姓名:张伟, 张伟、李娜).
    /// Hyphens and dots separate only around Han text: Jean-Luc and J. Smith keep theirs.
    static func separates(_ scalar: Unicode.Scalar, han: Bool) -> Bool {
        switch scalar.value {
        case 0x3B, 0x2F, 0x5C, 0x7C, 0x3A, 0x3001, 0xFF0C, 0xFF1B, 0xFF1A, 0x3002, 0x0A, 0x2B, 0x26: true
        // Smith, John is one Latin name; 张伟,李娜 two Chinese ones.
        case 0x2C, 0x2D, 0x2014, 0x2013, 0x5F, 0x7E, 0x2E: han
        default: false
        }
    }

    static func isMiddleDot(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xB7, 0x2022, 0x2027, 0x30FB, 0xFF65, 0x2219, 0x22C5: true
        default: false
        }
    }

    static func isPlaceholder(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = text.first(where: { $0 != " " }) else { return false }
        let folded = TextFolding.isASCIILetter(first.value) ? Unicode.Scalar(first.value | 0x20)! : first
        guard folded == "测" || folded == "t" || placeholderKeys.mayStart(with: folded) else { return false }
        var key = ShortKey()
        var chinese = true  // still matching 测试…
        var english = true  // still matching test…
        for scalar in text where scalar != " " {
            let folded = TextFolding.isASCIILetter(scalar.value) ? Unicode.Scalar(scalar.value | 0x20)! : scalar
            if chinese && key.count < 2 { chinese = testPrefixes[0][key.count] == folded }
            if english && key.count < 4 { english = testPrefixes[1][key.count] == folded }
            key.append(folded)
            if key.count > ShortKey.capacity && !chinese && !english { return false }
        }
        if (chinese && key.count >= 2) || (english && key.count >= 4) { return true }
        return placeholderKeys.contains(key)
    }

    static func isLatinPlaceholder(_ words: [[Unicode.Scalar]]) -> Bool {
        isPlaceholder(ArraySlice(Array(words.joined())))
    }

    static func isLabel(_ characters: [Unicode.Scalar]) -> Bool {
        labelKeys.contains(characters)
    }

    /// The characters as a title when they are nothing else (经理 in 张伟（经理）, 先生 alone).
    /// A single character counts only inside brackets: alone, 董 is a surname.
    static func wholeTitle(_ characters: [Unicode.Scalar], single: Bool) -> [Unicode.Scalar]? {
        guard single || characters.count > 1, titleKeys.contains(characters) else { return nil }
        return characters
    }

    /// Takes a title off the end of the name; returns it.
    static func stripSuffix(_ characters: inout [Unicode.Scalar]) -> [Unicode.Scalar]? {
        guard let last = characters.last?.value else { return nil }
        if suffixEnds.contains(last) {
            for title in suffixes where title.count < characters.count && title.last == last {
                let start = characters.count - title.count
                if zip(characters[start...], title).allSatisfy({ $0.value == $1 }) {
                    let found = Array(characters[start...])
                    characters.removeSubrange(start...)
                    // 张总经理先生: one more title may sit before the first one.
                    if let more = stripSuffix(&characters) { return more + found }
                    return found
                }
            }
        }
        if shortSuffixes.contains(last) && isBareSurname(characters.dropLast()) {
            return [characters.removeLast()]
        }
        return nil
    }

    /// Takes a familiar prefix off a surname (老王 → 王, 老); only when a common surname follows.
    static func stripPrefix(_ characters: inout [Unicode.Scalar]) -> [Unicode.Scalar]? {
        guard characters.count == 2, prefixTitles.contains(characters[0]),
            Surname.common.contains(characters[1].value)
        else { return nil }
        return [characters.removeFirst()]
    }

    /// Whether the characters are one surname and nothing else: one character, or a compound surname.
    static func isBareSurname(_ characters: ArraySlice<Unicode.Scalar>) -> Bool {
        switch characters.count {
        case 1: TextFolding.isHan(characters.first!.value)
        case 2: Surname.compoundReading(characters.first!.value, characters.last!.value) != nil
        default: false
        }
    }

    /// Takes Mr / Mrs / Dr off the front of a Latin name.
    static func stripLatinTitle(_ words: inout [[Unicode.Scalar]]) -> [Unicode.Scalar]? {
        guard words.count >= 1, let first = words.first else { return nil }
        var letters = first
        while letters.last == "." { letters.removeLast() }
        let key = String(String.UnicodeScalarView(letters)).lowercased()
        guard latinTitles.contains(key) else { return nil }
        words.removeFirst()
        return letters
    }
}

/// Up to nine scalars packed into 192 bits: a cheap hash key for short words.
struct ShortKey: Hashable, Sendable {
    static let capacity = 9
    private var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private(set) var count = 0

    init() {}

    init?(_ scalars: some Collection<Unicode.Scalar>) {
        guard scalars.count <= Self.capacity else { return nil }
        for scalar in scalars { append(scalar) }
    }

    /// Adds a scalar; past the capacity the key only counts it (and matches no member).
    mutating func append(_ scalar: Unicode.Scalar) {
        let value = UInt64(scalar.value)
        switch count {
        case 0..<3: words.0 |= value << (21 * UInt64(count))
        case 3..<6: words.1 |= value << (21 * UInt64(count - 3))
        case 6..<9: words.2 |= value << (21 * UInt64(count - 6))
        default: break
        }
        count += 1
    }

    static func == (lhs: ShortKey, rhs: ShortKey) -> Bool {
        lhs.count == rhs.count && lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
    }
}

/// A set of short words (up to nine scalars; longer ones are never members), with a bitmap of
/// their first scalars so that most non-members are turned away without hashing.
struct ShortKeySet: Sendable {
    private let keys: Set<ShortKey>
    private let firsts: [UInt64]

    init(_ words: [String]) {
        keys = Set(words.compactMap { ShortKey($0.unicodeScalars) })
        var firsts = [UInt64](repeating: 0, count: 0x10000 / 64)
        for word in words {
            guard let first = word.unicodeScalars.first?.value else { continue }
            if first < 0x10000 { firsts[Int(first >> 6)] |= 1 << UInt64(first & 63) } else { firsts[0] |= 1 }
        }
        self.firsts = firsts
    }

    /// Whether some member starts with `first`.
    @inline(__always)
    func mayStart(with first: Unicode.Scalar) -> Bool {
        let value = first.value
        return value < 0x10000 ? firsts[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0 : firsts[0] & 1 != 0
    }

    func contains(_ key: ShortKey) -> Bool {
        key.count <= ShortKey.capacity && keys.contains(key)
    }

    func contains(_ scalars: some Collection<Unicode.Scalar>) -> Bool {
        guard let first = scalars.first, mayStart(with: first), let key = ShortKey(scalars) else { return false }
        return keys.contains(key)
    }
}
