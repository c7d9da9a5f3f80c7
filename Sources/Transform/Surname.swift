/// Chinese surnames: the compound ones, and the readings a character takes as a surname when they
/// differ from its everyday reading (单 is dan in 简单 but Shan as a surname).
///
/// Sources: the 百家姓 list and the standard lists of polyphonic surnames (《现代汉语词典》 and
/// GB/T 28039-2011 practice for personal names in pinyin).
enum Surname {
    /// Compound (two-character) surnames with their readings. A name that starts with one of these
    /// and has at least one more character is read as compound surname + given name (欧阳丹娜 →
    /// Ouyang Danna), which is how such names are written in practice. Pairs whose first character
    /// is a common single surname and whose second is a common given-name character (贺兰, 宗政,
    /// 乐正, 谷梁, 段干) are left out: 贺兰英 is far more often 贺 Lanying than 贺兰 Ying.
    static let compound: [(String, String, String)] = [
        ("欧阳", "ou", "yang"), ("司马", "si", "ma"), ("诸葛", "zhu", "ge"), ("上官", "shang", "guan"),
        ("皇甫", "huang", "fu"), ("尉迟", "yu", "chi"), ("万俟", "mo", "qi"), ("单于", "chan", "yu"),
        ("慕容", "mu", "rong"), ("令狐", "ling", "hu"), ("东方", "dong", "fang"), ("夏侯", "xia", "hou"),
        ("公孙", "gong", "sun"), ("长孙", "zhang", "sun"), ("宇文", "yu", "wen"), ("司徒", "si", "tu"),
        ("司空", "si", "kong"), ("澹台", "tan", "tai"), ("公冶", "gong", "ye"), ("太史", "tai", "shi"),
        ("申屠", "shen", "tu"), ("轩辕", "xuan", "yuan"), ("端木", "duan", "mu"), ("呼延", "hu", "yan"),
        ("独孤", "du", "gu"), ("南宫", "nan", "gong"), ("西门", "xi", "men"), ("拓跋", "tuo", "ba"),
        ("拓拔", "tuo", "ba"), ("闻人", "wen", "ren"), ("赫连", "he", "lian"), ("淳于", "chun", "yu"),
        ("濮阳", "pu", "yang"), ("公羊", "gong", "yang"), ("仲孙", "zhong", "sun"), ("钟离", "zhong", "li"),
        ("闾丘", "lü", "qiu"), ("鲜于", "xian", "yu"), ("亓官", "qi", "guan"), ("司寇", "si", "kou"),
        ("子车", "zi", "ju"), ("颛孙", "zhuan", "sun"), ("壤驷", "rang", "si"), ("公良", "gong", "liang"),
        ("漆雕", "qi", "diao"), ("宰父", "zai", "fu"), ("夹谷", "jia", "gu"), ("百里", "bai", "li"),
        ("东郭", "dong", "guo"), ("南门", "nan", "men"), ("羊舌", "yang", "she"), ("微生", "wei", "sheng"),
        ("梁丘", "liang", "qiu"), ("左丘", "zuo", "qiu"), ("东门", "dong", "men"), ("第五", "di", "wu"),
        ("公西", "gong", "xi"), ("巫马", "wu", "ma"), ("公伯", "gong", "bo"), ("太叔", "tai", "shu"),
        ("完颜", "wan", "yan"), ("耶律", "ye", "lü"), ("呼衍", "hu", "yan"), ("长鱼", "chang", "yu"),
    ]

    /// Single surnames whose surname reading differs from the reading ICU gives the character
    /// (or from its everyday reading): 单 Shan, 曾 Zeng, 解 Xie, 仇 Qiu, 区 Ou, 查 Zha, 朴 Piao …
    static let readings: [(Unicode.Scalar, String)] = [
        ("单", "shan"), ("曾", "zeng"), ("解", "xie"), ("仇", "qiu"), ("区", "ou"), ("查", "zha"),
        ("朴", "piao"), ("盖", "ge"), ("乐", "yue"), ("覃", "qin"), ("缪", "miao"), ("召", "shao"),
        ("翟", "zhai"), ("员", "yun"), ("隗", "wei"), ("黑", "he"), ("繁", "po"), ("能", "nai"),
        ("种", "chong"), ("秘", "bi"), ("燕", "yan"), ("冼", "xian"), ("折", "she"), ("句", "gou"),
        ("过", "guo"), ("阚", "kan"), ("粘", "nian"), ("佴", "nai"), ("薄", "bo"), ("么", "yao"),
        ("角", "jue"), ("洗", "xian"), ("祭", "zhai"), ("乜", "nie"), ("炅", "gui"), ("颉", "xie"),
        ("都", "du"), ("长", "chang"), ("重", "chong"), ("朝", "chao"), ("藏", "zang"), ("尉", "wei"),
        ("柏", "bai"), ("卜", "bu"), ("贲", "ben"), ("莘", "shen"), ("逄", "pang"), ("蕃", "pi"),
        ("郇", "huan"), ("谌", "chen"), ("隽", "juan"), ("宿", "su"), ("褚", "chu"), ("臧", "zang"),
        ("相", "xiang"), ("应", "ying"), ("沈", "shen"), ("纪", "ji"), ("葛", "ge"), ("牟", "mou"),
        ("那", "na"), ("宁", "ning"), ("蔚", "wei"), ("汤", "tang"), ("石", "shi"), ("车", "che"),
        ("任", "ren"), ("华", "hua"), ("曲", "qu"), ("贾", "jia"), ("殷", "yin"), ("仉", "zhang"),
        ("眭", "sui"), ("厍", "she"), ("圈", "quan"), ("亓", "qi"), ("哈", "ha"), ("吕", "lü"),
    ]

    /// The most common single surnames, enough to tell 小王 / 老李 (a surname with a familiar
    /// prefix) from a given name.
    static let common: Set<UInt32> = Set(
        """
        王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈\
        姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向\
        汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕\
        单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦\
        褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明\
        佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅\
        屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修\
        邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡\
        富尧闭由
        """.unicodeScalars.map(\.value))

    /// Looked-up forms of the tables, built once: flat arrays over U+3400...U+9FFF, where every
    /// surname lies, so that the per-name lookups hash nothing.
    struct Index: Sendable {
        /// Compound surname (first << 32 | second) → syllable indices.
        let compound: [UInt64: (UInt16, UInt16)]
        /// Whether a character begins a compound surname.
        let beginsCompound: [Bool]
        /// Syllable index + 1 of a single surname's reading; 0 where the table has none.
        let single: [UInt16]
    }

    private static let range: ClosedRange<UInt32> = 0x3400...0x9FFF

    static let index: Index = {
        let table = PinyinTable.shared
        func syllable(_ text: String) -> UInt16 {
            guard let index = table.index(ofSyllable: text) else { preconditionFailure("unknown syllable \(text)") }
            return index
        }
        var compound: [UInt64: (UInt16, UInt16)] = [:]
        var beginsCompound = [Bool](repeating: false, count: range.count)
        for (surname, first, second) in Self.compound {
            let scalars = Array(surname.unicodeScalars)
            compound[UInt64(scalars[0].value) << 32 | UInt64(scalars[1].value)] = (syllable(first), syllable(second))
            beginsCompound[Int(scalars[0].value - range.lowerBound)] = true
        }
        var single = [UInt16](repeating: 0, count: range.count)
        for (scalar, reading) in readings { single[Int(scalar.value - range.lowerBound)] = syllable(reading) + 1 }
        return Index(compound: compound, beginsCompound: beginsCompound, single: single)
    }()

    /// The readings of the compound surname formed by two characters, if they form one.
    @inline(__always)
    static func compoundReading(_ first: UInt32, _ second: UInt32) -> (UInt16, UInt16)? {
        guard range.contains(first), index.beginsCompound[Int(first - range.lowerBound)] else { return nil }
        return index.compound[UInt64(first) << 32 | UInt64(second)]
    }

    /// The reading of a character as a single surname.
    @inline(__always)
    static func reading(_ scalar: UInt32) -> UInt16? {
        if range.contains(scalar) {
            let entry = index.single[Int(scalar - range.lowerBound)]
            if entry != 0 { return entry - 1 }
        }
        return PinyinTable.shared.index(of: scalar)
    }
}
