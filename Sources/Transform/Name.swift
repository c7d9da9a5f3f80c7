/// Why a contact name was refused: the machine-readable reason code.
package enum NameRefusal: String, Sendable, Error, CaseIterable {
    /// Nothing but blanks.
    case empty
    /// A stand-in for "no name": 无, 未知, 客户, 测试, -, N/A.
    case placeholder
    /// A title without a name: 先生, 经理, 老板.
    case titleOnly = "title_only"
    /// Neither Han characters nor letters: digits, punctuation.
    case noLetters = "no_letters"
}

/// A contact name, cleaned, with its pinyin.
///
/// ```swift
/// let name = try normalizeName("单天方（经理）").get()
/// name.name       // "单天方"
/// name.honorific  // "经理"
/// name.pinyin     // "shan tian fang"
/// name.display    // "Shan Tianfang"
/// name.matchKey   // "shantianfang"
/// ```
package struct NormalizedName: Sendable, Hashable {
    package enum Kind: String, Sendable, CaseIterable {
        /// A Chinese name with a given name: 张伟, 欧阳丹娜, 阿依古丽·买买提.
        case full
        /// A surname with a title and no given name (张总, 李经理, 欧阳女士): not a full name.
        case surnameOnly = "surname_only"
        /// A name in Latin (or another non-Han) script, passed through cleaned: John Smith.
        case latin
        /// No name at all. ``normalizeName(_:)`` never returns it (it refuses instead); callers use
        /// it for a record without a name field.
        case missing
    }

    /// The cleaned name without titles: "张伟"; for `surnameOnly` the surname: "张".
    package var name: String
    /// The title taken off the name: "先生", "经理", "总".
    package var honorific: String?
    package var kind: Kind
    /// Toneless, lowercase, one syllable per character, space-separated: "zhang wei"; `ü` kept.
    /// For a Latin name, the name in lower case.
    package var pinyin: String
    /// Surname, then the given name as one capitalised word: "Shan Tianfang", "Ouyang Danna".
    package var display: String
    /// Equal for names that sound the same whatever the characters and spacing: the pinyin letters
    /// alone, `ü` as `v` ("zhangwei"); for a Latin name its letters and digits in lower case.
    package var matchKey: String

    package init(name: String, honorific: String? = nil, kind: Kind, pinyin: String, display: String, matchKey: String) {
        self.name = name
        self.honorific = honorific
        self.kind = kind
        self.pinyin = pinyin
        self.display = display
        self.matchKey = matchKey
    }
}

/// Cleans a contact name: NFKC, blanks removed, brackets and titles taken off, and the pinyin with
/// surname readings (单 Shan, 曾 Zeng, 尉迟 Yuchi).
///
/// ```swift
/// normalizeName("周 伟舒")          // .success: 周伟舒, "Zhou Weishu"
/// normalizeName("张伟(经理)")       // .success: 张伟, honorific 经理
/// normalizeName("张总")             // .success: kind .surnameOnly, name 张
/// normalizeName("先生")             // .failure(.titleOnly)
/// normalizeName("未知")             // .failure(.placeholder)
/// ```
///
/// Pure and thread-safe; the tables load once, at first use.
package func normalizeName(_ raw: some StringProtocol) -> Result<NormalizedName, NameRefusal> {
    NameNormalizer.normalize(TextFolding.fold(raw))
}

enum NameNormalizer {
    static func normalize(_ folded: [Unicode.Scalar]) -> Result<NormalizedName, NameRefusal> {
        var start = 0
        var end = folded.count
        while start < end && folded[start] == " " { start += 1 }
        while end > start && folded[end - 1] == " " { end -= 1 }
        if start == end { return .failure(.empty) }
        let text = folded[start..<end]
        if NameTitles.isPlaceholder(text) { return .failure(.placeholder) }

        var hasHan = false
        var hasLetter = false
        var hasStructure = false  // brackets or separators: the slow path
        for scalar in text {
            let value = scalar.value
            if TextFolding.isHan(value) {
                hasHan = true
            } else if TextFolding.isASCIILetter(value) || (value >= 0x80 && scalar.properties.isAlphabetic) {
                hasLetter = true
            } else if NameTitles.opening(scalar) || NameTitles.closing(scalar) || NameTitles.separates(scalar, han: true)
                || NameTitles.isMiddleDot(scalar)
            {
                hasStructure = true
            }
        }
        if !hasHan && !hasLetter { return .failure(.noLetters) }
        if hasHan && !hasStructure {
            // 张伟, 周 伟舒, 丁光梅 先生: the Han characters are the name.
            var honorific: [Unicode.Scalar]?
            guard let name = hanName(hanPart(text), honorific: &honorific) else {
                return .failure(honorific != nil ? .titleOnly : .placeholder)
            }
            return name.map { $0.with(honorific: honorific) }
        }

        // Split into the parts outside brackets (the name) and inside (decorations: 经理, VIP). A
        // bracket inside a name drops its content and joins what is around it (王【VIP】小明).
        var segments: [[Unicode.Scalar]] = []
        var decorations: [[Unicode.Scalar]] = []
        var segment: [Unicode.Scalar] = []
        var decoration: [Unicode.Scalar] = []
        var depth = 0
        for scalar in text {
            if NameTitles.opening(scalar) {
                depth += 1
            } else if NameTitles.closing(scalar) {
                if depth == 1 {
                    decorations.append(decoration)
                    decoration.removeAll()
                }
                depth = max(0, depth - 1)
            } else if depth > 0 {
                decoration.append(scalar)
            } else if NameTitles.separates(scalar, han: hasHan) {
                if !segment.isEmpty { segments.append(segment) }
                segment.removeAll()
            } else {
                segment.append(scalar)
            }
        }
        if !segment.isEmpty { segments.append(segment) }

        var honorific: [Unicode.Scalar]?
        for part in decorations where honorific == nil {
            honorific = NameTitles.wholeTitle(hasHan ? hanPart(part[...]) : part, single: true)
        }
        var found: Result<NormalizedName, NameRefusal>?
        for segment in segments {
            if found != nil {
                // 张伟/经理: a title after the name.
                if honorific == nil {
                    honorific = NameTitles.wholeTitle(hasHan ? hanPart(segment[...]) : segment, single: true)
                }
                continue
            }
            if hasHan {
                found = hanName(hanPart(segment[...]), honorific: &honorific)
            } else {
                var words = latinWords(segment[...])
                if words.isEmpty { continue }
                let title = NameTitles.stripLatinTitle(&words)
                if honorific == nil { honorific = title }
                // Mr Mr, Dr. Dr.: a title typed twice leaves a title, not a name.
                if title != nil { while NameTitles.stripLatinTitle(&words) != nil {} }
                if words.isEmpty { continue }
                if NameTitles.isLatinPlaceholder(words) { return .failure(.placeholder) }
                found = .success(latin(words))
            }
        }
        guard let found else { return .failure(honorific != nil ? .titleOnly : .placeholder) }
        return found.map { $0.with(honorific: honorific) }
    }

    /// The name in Han characters with its titles taken off; nil when nothing but a title or a
    /// label is left (the title, if any, is in `honorific`).
    private static func hanName(_ characters: [Unicode.Scalar], honorific: inout [Unicode.Scalar]?)
        -> Result<NormalizedName, NameRefusal>?
    {
        var characters = characters
        if characters.isEmpty || NameTitles.isLabel(characters) { return nil }
        if let title = NameTitles.wholeTitle(characters, single: false) {
            if honorific == nil { honorific = title }
            return nil
        }
        var title = NameTitles.stripSuffix(&characters)
        // 约翰·先生: the middle dot before the title goes with it; 约翰·先生·先生: so does a title
        // typed again, so that the name read back reads the same.
        while characters.last == "·" { characters.removeLast() }
        if title != nil {
            while characters.count > 1, NameTitles.stripSuffix(&characters) != nil {
                while characters.last == "·" { characters.removeLast() }
            }
        }
        // 老王 and 老王先生 alike: the familiar prefix goes whether or not a title followed, so
        // that the 老王 left by 老王先生 reads back as the same surname (found by fuzzing).
        let prefix = NameTitles.stripPrefix(&characters)
        if title == nil { title = prefix }
        if honorific == nil { honorific = title }
        while characters.last == "·" { characters.removeLast() }
        if characters.isEmpty { return nil }
        // 先生先生, 经理经理: a title typed twice leaves a title, not a name.
        if title != nil, NameTitles.wholeTitle(characters, single: false) != nil { return nil }
        if NameTitles.isPlaceholder(characters[...]) { return .failure(.placeholder) }
        return .success(han(characters))
    }

    /// The Han characters of a part, and the middle dot between the parts of a transliterated name.
    private static func hanPart(_ part: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(part.count)
        for scalar in part {
            if TextFolding.isHan(scalar.value) {
                out.append(scalar)
            } else if NameTitles.isMiddleDot(scalar), let last = out.last, last != "·" {
                out.append("·")
            }
        }
        while out.last == "·" { out.removeLast() }
        return out
    }

    private static func latinWords(_ part: ArraySlice<Unicode.Scalar>) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        for scalar in part {
            let value = scalar.value
            if TextFolding.isASCIILetter(value) || (value >= 0x80 && scalar.properties.isAlphabetic)
                || ((value == 0x27 || value == 0x2D || value == 0x2E) && !word.isEmpty)
            {
                word.append(scalar)
            } else if !word.isEmpty {
                words.append(word)
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(word) }
        for index in words.indices {
            while let last = words[index].last, last == "-" || last == "'" { words[index].removeLast() }
        }
        return words.filter { !$0.isEmpty }
    }

    // MARK: Han names

    /// Builds the name, its pinyin, display and match key straight into string storage: this is
    /// the per-row hot path, and intermediate arrays would cost more than the lookups.
    private static func han(_ name: [Unicode.Scalar]) -> NormalizedName {
        let table = PinyinTable.shared
        let transliterated = name.contains("·")
        var surnameLength = 1
        var kind = NormalizedName.Kind.full
        let none = UInt16.max
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: name.count) { syllables in
            if transliterated {
                surnameLength = 0
                for (position, scalar) in name.enumerated() {
                    syllables[position] = scalar == "·" ? none : table.index(of: scalar.value) ?? none
                }
            } else {
                var rest = 1
                if name.count >= 2, let (first, second) = Surname.compoundReading(name[0].value, name[1].value) {
                    surnameLength = 2
                    syllables[0] = first
                    syllables[1] = second
                    rest = 2
                } else {
                    syllables[0] = Surname.reading(name[0].value) ?? none
                }
                for position in rest..<name.count {
                    syllables[position] = table.index(of: name[position].value) ?? none
                }
                if name.count == surnameLength { kind = .surnameOnly }
            }

            var letters = 0
            var count = 0
            for position in 0..<name.count where syllables[position] != none {
                let syllable = Int(syllables[position])
                letters += Int(table.offsets[syllable + 1] - table.offsets[syllable])
                count += 1
            }
            let pinyin = String(unsafeUninitializedCapacity: max(1, letters + count)) { out in
                var written = 0
                for position in 0..<name.count where syllables[position] != none {
                    if written > 0 {
                        out[written] = 0x20
                        written += 1
                    }
                    let syllable = Int(syllables[position])
                    for offset in Int(table.offsets[syllable])..<Int(table.offsets[syllable + 1]) {
                        out[written] = table.bytes[offset]
                        written += 1
                    }
                }
                return written
            }
            let matchKey = String(unsafeUninitializedCapacity: max(1, letters)) { out in
                var written = 0
                for position in 0..<name.count where syllables[position] != none {
                    let syllable = Int(syllables[position])
                    var offset = Int(table.offsets[syllable])
                    let end = Int(table.offsets[syllable + 1])
                    while offset < end {
                        if table.bytes[offset] == 0xC3 {  // ü → v
                            out[written] = 0x76
                            offset += 2
                        } else {
                            out[written] = table.bytes[offset]
                            offset += 1
                        }
                        written += 1
                    }
                }
                return written
            }
            // Words of the display: the surname, then the given name; for a transliterated name,
            // each part between the dots.
            let display = String(unsafeUninitializedCapacity: max(1, letters + 2 * name.count)) { out in
                var written = 0
                var wordStart = true
                for position in 0..<name.count {
                    if transliterated ? name[position] == "·" : position == surnameLength && position > 0 {
                        if written > 0 && out[written - 1] != 0x20 {
                            out[written] = 0x20
                            written += 1
                        }
                        wordStart = true
                    }
                    guard syllables[position] != none else { continue }
                    let syllable = Int(syllables[position])
                    var offset = Int(table.offsets[syllable])
                    let end = Int(table.offsets[syllable + 1])
                    let first = table.bytes[offset]
                    // GB/T 28039: an apostrophe where a syllable starting with a, o or e follows
                    // another in the same word (Xi'an), which would otherwise read differently.
                    if !wordStart && (first == 0x61 || first == 0x6F || first == 0x65) {
                        out[written] = 0x27
                        written += 1
                    }
                    out[written] = wordStart ? first &- 0x20 : first
                    written += 1
                    offset += 1
                    while offset < end {
                        out[written] = table.bytes[offset]
                        written += 1
                        offset += 1
                    }
                    wordStart = false
                }
                while written > 0 && out[written - 1] == 0x20 { written -= 1 }
                return written
            }
            return NormalizedName(
                name: TextFolding.string(kind == .surnameOnly ? name[..<surnameLength] : name[...]),
                kind: kind, pinyin: pinyin, display: display, matchKey: matchKey)
        }
    }

    // MARK: Latin names

    private static func latin(_ words: [[Unicode.Scalar]]) -> NormalizedName {
        if words.allSatisfy({ $0.allSatisfy(\.isASCII) }) { return asciiLatin(words) }
        var name = String.UnicodeScalarView()
        var display = String.UnicodeScalarView()
        var key = String.UnicodeScalarView()
        for (index, word) in words.enumerated() {
            if index > 0 {
                name.append(" ")
                display.append(" ")
            }
            name.append(contentsOf: word)
            let letters = word.filter { $0.properties.isAlphabetic }
            let uniformCase =
                letters.allSatisfy { $0.properties.isLowercase }
                || letters.allSatisfy { $0.properties.isUppercase }
            var first = true
            for scalar in word {
                if uniformCase || first {
                    let mapped = first ? scalar.properties.uppercaseMapping : scalar.properties.lowercaseMapping
                    display.append(contentsOf: mapped.unicodeScalars)
                } else {
                    display.append(scalar)
                }
                if scalar.properties.isAlphabetic { first = false }
                if scalar == "-" || scalar == "'" || scalar == "." { first = true }
            }
            for scalar in word where scalar.properties.isAlphabetic || TextFolding.isASCIIDigit(scalar.value) {
                key.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        let nameString = String(name)
        return NormalizedName(
            name: nameString, kind: .latin, pinyin: nameString.lowercased(),
            display: String(display), matchKey: String(key))
    }
}

extension NameNormalizer {
    /// `latin` for names in plain ASCII, the usual case, by byte arithmetic instead of Unicode
    /// case mappings (which cost a table lookup and a String per letter).
    private static func asciiLatin(_ words: [[Unicode.Scalar]]) -> NormalizedName {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        func lower(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte | 0x20 : byte }
        func upper(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte & ~0x20 : byte }
        var name: [UInt8] = []
        var display: [UInt8] = []
        var key: [UInt8] = []
        for (index, word) in words.enumerated() {
            let bytes = word.map { UInt8(truncatingIfNeeded: $0.value) }
            if index > 0 {
                name.append(0x20)
                display.append(0x20)
            }
            name.append(contentsOf: bytes)
            let letters = bytes.filter(isLetter)
            let uniformCase = letters.allSatisfy { $0 & 0x20 != 0 } || letters.allSatisfy { $0 & 0x20 == 0 }
            var first = true
            for byte in bytes {
                display.append(first ? upper(byte) : uniformCase ? lower(byte) : byte)
                if isLetter(byte) { first = false }
                if byte == 0x2D || byte == 0x27 || byte == 0x2E { first = true }  // - ' .
                if isLetter(byte) || (byte >= 0x30 && byte <= 0x39) { key.append(lower(byte)) }
            }
        }
        return NormalizedName(
            name: String(decoding: name, as: UTF8.self), kind: .latin,
            pinyin: String(decoding: name.map(lower), as: UTF8.self),
            display: String(decoding: display, as: UTF8.self), matchKey: String(decoding: key, as: UTF8.self))
    }
}

extension NormalizedName {
    func with(honorific title: [Unicode.Scalar]?) -> NormalizedName {
        var copy = self
        copy.honorific = title.map { TextFolding.string($0[...]) }
        return copy
    }
}
