import Testing

@testable import Transform

/// normalizeName: cleaning, titles, refusals and the surname-aware pinyin.
struct NameTests {
    @Test(
        "blanks, brackets and separators come off the name",
        arguments: [
            ("周 伟舒", "周伟舒"),
            ("郝　艳森", "郝艳森"),  // full-width space
            ("  张伟 ", "张伟"),
            ("张  蓉", "张蓉"),
            ("王【VIP】小明", "王小明"),  // a bracket inside the name joins what is around it
            ("姓名：张伟", "张伟"),  // a field label inside the cell
            ("张伟、李娜", "张伟"),  // two contacts: the first
            ("张伟123", "张伟"),
            ("阿依古丽•买买提", "阿依古丽·买买提"),  // the middle dot of transliterated names, normalised
            ("張偉", "張偉"),  // traditional characters stay as written
        ])
    func cleans(raw: String, name: String) throws {
        #expect(try normalizeName(raw).get().name == name)
    }

    @Test(
        "titles become the honorific",
        arguments: [
            ("张伟(经理)", "张伟", "经理", NormalizedName.Kind.full),
            ("张伟（经理）", "张伟", "经理", .full),
            ("丁光梅 先生", "丁光梅", "先生", .full),
            ("陈诚信经理", "陈诚信", "经理", .full),
            ("魏林哲女士", "魏林哲", "女士", .full),
            ("张伟/总监", "张伟", "总监", .full),
            ("王总经理", "王", "总经理", .surnameOnly),
            ("张总", "张", "总", .surnameOnly),
            ("李经理", "李", "经理", .surnameOnly),
            ("王小姐", "王", "小姐", .surnameOnly),
            ("李工", "李", "工", .surnameOnly),
            ("欧阳女士", "欧阳", "女士", .surnameOnly),
            ("欧阳总", "欧阳", "总", .surnameOnly),
            ("公孙经理", "公孙", "经理", .surnameOnly),
            ("老王", "王", "老", .surnameOnly),
            ("小李", "李", "小", .surnameOnly),
            // Found by fuzzing (fuzz/regressions/name/familiar-prefix-before-title): the prefix
            // stayed when a title followed, and 小翟 read back as another name than 翟.
            ("小翟小姐", "翟", "小姐", .surnameOnly),
            ("老王先生", "王", "先生", .surnameOnly),
            ("Mr. John Smith", "John Smith", "Mr", .latin),
            // Found by fuzzing (fuzz/regressions/name/dot-before-title): the name kept the dot, 约翰·.
            ("约翰·先生", "约翰", "先生", .full),
            // Found by the CI fuzz pass (fuzz/regressions/name/title-after-dot-twice): a title typed
            // again after a dot stayed in the name, which read back as another name.
            ("约翰·先生·先生", "约翰", "先生", .full),
            ("约翰先生·先生", "约翰", "先生", .full),
            ("先·先生", "先", "先生", .surnameOnly),
        ])
    func takesOffTitles(raw: String, name: String, honorific: String, kind: NormalizedName.Kind) throws {
        let normalized = try normalizeName(raw).get()
        #expect(normalized.name == name)
        #expect(normalized.honorific == honorific)
        #expect(normalized.kind == kind)
    }

    @Test(
        "a one-character title after a full name is part of the name",
        arguments: [
            ("王海生", "Wang Haisheng"),
            ("李建工", "Li Jiangong"),
            ("张伟总", "Zhang Weizong"),
        ])
    func keepsShortTitleAfterFullName(raw: String, display: String) throws {
        let normalized = try normalizeName(raw).get()
        #expect(normalized.kind == .full)
        #expect(normalized.display == display)
        #expect(normalized.honorific == nil)
    }

    @Test("a bare surname is not a full name", arguments: [("张", "Zhang"), ("欧阳", "Ouyang"), ("董", "Dong")])
    func bareSurname(raw: String, display: String) throws {
        let normalized = try normalizeName(raw).get()
        #expect(normalized.kind == .surnameOnly)
        #expect(normalized.display == display)
    }

    @Test(
        "refusals say why",
        arguments: [
            ("", NameRefusal.empty),
            ("   ", .empty),
            ("　", .empty),
            ("无", .placeholder),
            ("未知", .placeholder),
            ("-", .placeholder),
            ("--", .placeholder),
            ("客户", .placeholder),
            ("测试", .placeholder),
            ("测试用户", .placeholder),
            ("N/A", .placeholder),
            ("null", .placeholder),
            ("Test User", .placeholder),
            ("先生", .titleOnly),
            ("经理", .titleOnly),
            ("（经理）", .titleOnly),
            ("Mr.", .titleOnly),
            // Found by fuzzing (fuzz/regressions/name/title-twice): the second title became the name.
            ("先生先生", .titleOnly),
            ("经理 经理", .titleOnly),
            ("Dr Dr", .titleOnly),
            ("Mr. Dr.", .titleOnly),
            ("123", .noLetters),
            ("13800138000", .noLetters),
            ("!@#", .noLetters),
        ])
    func refuses(raw: String, refusal: NameRefusal) {
        #expect(normalizeName(raw) == .failure(refusal))
    }

    @Test(
        "surnames read as surnames",
        arguments: [
            ("单天方", "Shan Tianfang"), ("曾伟", "Zeng Wei"), ("解博", "Xie Bo"), ("仇思", "Qiu Si"),
            ("区志明", "Ou Zhiming"), ("查良镛", "Zha Liangyong"), ("朴树", "Piao Shu"), ("盖丹源", "Ge Danyuan"),
            ("乐璐曦", "Yue Luxi"), ("覃忠", "Qin Zhong"), ("缪宸", "Miao Chen"), ("召忠", "Shao Zhong"),
            ("翟倩", "Zhai Qian"), ("员伟", "Yun Wei"), ("隗伟", "Wei Wei"), ("黑伟", "He Wei"),
            ("繁伟", "Po Wei"), ("能伟", "Nai Wei"), ("种伟", "Chong Wei"), ("秘伟", "Bi Wei"),
            ("燕伟", "Yan Wei"), ("冼新冰", "Xian Xinbing"), ("折伟", "She Wei"), ("句伟", "Gou Wei"),
            ("过伟", "Guo Wei"), ("长伟", "Chang Wei"), ("阚伟", "Kan Wei"), ("尉伟", "Wei Wei"),
        ])
    func surnameReadings(raw: String, display: String) throws {
        #expect(try normalizeName(raw).get().display == display)
    }

    @Test(
        "compound surnames are one word",
        arguments: [
            ("欧阳丹娜", "Ouyang Danna"), ("万俟小明", "Moqi Xiaoming"), ("尉迟恭", "Yuchi Gong"),
            ("单于丹", "Chanyu Dan"), ("司马光", "Sima Guang"), ("诸葛亮", "Zhuge Liang"),
            ("上官婉儿", "Shangguan Wan'er"), ("慕容复", "Murong Fu"), ("令狐冲", "Linghu Chong"),
            ("东方婉", "Dongfang Wan"), ("长孙无忌", "Zhangsun Wuji"), ("澹台明", "Tantai Ming"),
            ("公孙玲军", "Gongsun Lingjun"), ("皇甫嵩", "Huangfu Song"), ("夏侯惇", "Xiahou Dun"),
        ])
    func compoundSurnames(raw: String, display: String) throws {
        #expect(try normalizeName(raw).get().display == display)
    }

    @Test(
        "every compound surname in the table reads as its listed syllables",
        arguments: Surname.compound.map { $0 })
    func everyCompoundSurname(surname: String, first: String, second: String) throws {
        let normalized = try normalizeName(surname + "明").get()
        #expect(normalized.pinyin == "\(first) \(second) ming")
        #expect(normalized.kind == .full)
    }

    @Test(
        "a polyphonic surname character keeps its common reading in the given name",
        arguments: [
            ("张单", "zhang dan"), ("王曾", "wang ceng"), ("李查", "li cha"), ("陈乐", "chen le"),
        ])
    func surnameReadingOnlyInFront(raw: String, pinyin: String) throws {
        #expect(try normalizeName(raw).get().pinyin == pinyin)
    }

    @Test(
        "given names read as names",
        arguments: [
            ("王长江", "Wang Changjiang"), ("李拓", "Li Tuo"), ("陈晟", "Chen Sheng"), ("刘著", "Liu Zhu"),
        ])
    func givenNameReadings(raw: String, display: String) throws {
        #expect(try normalizeName(raw).get().display == display)
    }

    @Test func pinyinDisplayAndMatchKey() throws {
        let lü = try normalizeName("吕布").get()
        #expect(lü.pinyin == "lü bu")
        #expect(lü.display == "Lü Bu")
        #expect(lü.matchKey == "lvbu")

        // GB/T 28039: an apostrophe where the syllable boundary would be ambiguous.
        let yuan = try normalizeName("陈玉安").get()
        #expect(yuan.display == "Chen Yu'an")
        #expect(yuan.pinyin == "chen yu an")
        #expect(yuan.matchKey == "chenyuan")
    }

    @Test(
        "homophones and spacing share a match key",
        arguments: [
            ("张伟", "章玮"), ("周 伟舒", "周维书"), ("李娜", "黎娜 女士"),
        ])
    func matchKeyIsStable(one: String, other: String) throws {
        #expect(try normalizeName(one).get().matchKey == normalizeName(other).get().matchKey)
    }

    @Test(
        "names in Latin script pass through cleaned",
        arguments: [
            ("Ｊｏｈｎ　ＳＭＩＴＨ", "John SMITH", "John Smith", "john smith", "johnsmith"),
            ("zhang wei", "zhang wei", "Zhang Wei", "zhang wei", "zhangwei"),
            ("Smith, John", "Smith John", "Smith John", "smith john", "smithjohn"),
            ("Jean-Luc  Picard", "Jean-Luc Picard", "Jean-Luc Picard", "jean-luc picard", "jeanlucpicard"),
            ("josé GARCÍA", "josé GARCÍA", "José García", "josé garcía", "joségarcía"),  // not ASCII: the Unicode path
        ])
    func latin(raw: String, name: String, display: String, pinyin: String, matchKey: String) throws {
        let normalized = try normalizeName(raw).get()
        #expect(normalized.kind == .latin)
        #expect(normalized.name == name)
        #expect(normalized.display == display)
        #expect(normalized.pinyin == pinyin)
        #expect(normalized.matchKey == matchKey)
    }

    @Test func transliteratedNamesHaveNoSurnameRule() throws {
        let normalized = try normalizeName("阿依古丽·买买提").get()
        #expect(normalized.kind == .full)
        #expect(normalized.display == "Ayiguli Maimaiti")
        #expect(normalized.pinyin == "a yi gu li mai mai ti")
    }

    @Test func concurrentCallsAgree() async {
        let names = ["单天方", "欧阳丹娜（经理）", "张总", "Ｊｏｈｎ", "周 伟舒", "未知", "尉迟恭"]
        let expected = names.map { normalizeName($0) }
        let results = await withTaskGroup(of: [Result<NormalizedName, NameRefusal>].self) { group in
            for _ in 0..<8 { group.addTask { names.map { normalizeName($0) } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result == expected) }
    }
}
