import CICU

/// Toneless Hanyu Pinyin of Han text, one syllable per character, from a table generated once
/// from ICU's Han-Latin transform (`Pinyin+Data.swift`, `scripts/gen_pinyin.py`).
///
/// ```swift
/// Pinyin.syllables(of: "深圳")          // ["shen", "zhen"]
/// Pinyin.toneless("长江")                // "chang jiang"
/// ```
///
/// Like the transform, it reads every character alone: it knows no words. Personal names go
/// through ``normalizeName(_:)``, which applies the surname readings (单 shan, 曾 zeng).
package enum Pinyin {
    /// The toneless syllable of one character (`ü` kept: 吕 → "lü"), or nil when it has none.
    package static func syllable(of scalar: Unicode.Scalar) -> String? {
        let table = PinyinTable.shared
        return table.index(of: scalar.value).map { table.syllables[Int($0)] }
    }

    /// The syllables of the Han characters of `text`, in order; other characters are skipped.
    package static func syllables(of text: some StringProtocol) -> [String] {
        text.unicodeScalars.compactMap(syllable(of:))
    }

    /// The syllables of the Han characters of `text` joined by `separator`.
    package static func toneless(_ text: some StringProtocol, separator: String = " ") -> String {
        syllables(of: text).joined(separator: separator)
    }
}

extension Pinyin {
    /// What the system's ICU makes of `text` with `transform` ("Han-Latin"), or nil when the
    /// transform fails. It opens the transform on every call (milliseconds): it is how tests check
    /// the generated table against ICU, not a way to read names.
    static func icuTransliteration(_ text: String, transform: String = "Han-Latin") -> String? {
        var target = [CChar](repeating: 0, count: text.utf8.count * 8 + 64)
        let length = text.withCString { source in
            cb_transliterate(transform, source, text.utf8.count, &target, target.count)
        }
        guard length >= 0 else { return nil }
        return String(decoding: target.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The per-character table behind ``Pinyin``, parsed once from the generated data.
struct PinyinTable: Sendable {
    static let shared = PinyinTable()

    /// Every syllable, by index.
    let syllables: [String]
    /// The UTF-8 of every syllable back to back; `offsets[i]..<offsets[i+1]` is syllable i.
    let bytes: [UInt8]
    let offsets: [Int32]
    /// Syllable index + 1 for U+3400...U+9FFF (0: no reading), the characters names use.
    private let common: [UInt16]
    /// Syllable index for the other ideographs (compatibility forms, Extensions B–H).
    private let rare: [UInt32: UInt16]
    private let indexBySyllable: [String: UInt16]

    private static let commonRange: ClosedRange<UInt32> = 0x3400...0x9FFF

    /// Characters whose ICU reading is one people rarely use in names or place names: ICU picks
    /// 长 zhang (长大), 地 de (particle), 拓 ta (拓片), 埔 bu, 著 zhe, 都 dou, 晟 cheng, 厦 sha,
    /// where names say 长 chang (长春, 长江), 地 di, 拓 tuo, 埔 pu (黄埔), 著 zhu, 都 du (成都),
    /// 晟 sheng, 厦 xia (厦门). Surnames have their own table (Surname.swift).
    static let nameReadings: [(Unicode.Scalar, String)] = [
        ("长", "chang"), ("地", "di"), ("拓", "tuo"), ("埔", "pu"), ("著", "zhu"), ("都", "du"),
        ("晟", "sheng"), ("厦", "xia"),
    ]

    private init() {
        var syllables: [String] = []
        var indexBySyllable: [String: UInt16] = [:]
        var common = [UInt16](repeating: 0, count: Int(Self.commonRange.count))
        var rare: [UInt32: UInt16] = [:]
        for line in Self.icuReadings.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let syllable = String(line[..<tab])
            let index = UInt16(syllables.count)
            syllables.append(syllable)
            indexBySyllable[syllable] = index
            for scalar in line[line.index(after: tab)...].unicodeScalars {
                if Self.commonRange.contains(scalar.value) {
                    common[Int(scalar.value - Self.commonRange.lowerBound)] = index + 1
                } else {
                    rare[scalar.value] = index
                }
            }
        }
        for (scalar, syllable) in Self.nameReadings {
            guard let index = indexBySyllable[syllable] else { preconditionFailure("unknown syllable \(syllable)") }
            common[Int(scalar.value - Self.commonRange.lowerBound)] = index + 1
        }
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        for syllable in syllables {
            bytes.append(contentsOf: syllable.utf8)
            offsets.append(Int32(bytes.count))
        }
        self.syllables = syllables
        self.indexBySyllable = indexBySyllable
        self.common = common
        self.rare = rare
        self.bytes = bytes
        self.offsets = offsets
    }

    /// The syllable index of a character, or nil when ICU has no reading for it.
    @inline(__always)
    func index(of value: UInt32) -> UInt16? {
        if value >= 0x3400 && value <= 0x9FFF {
            let entry = common[Int(value &- 0x3400)]
            return entry == 0 ? nil : entry &- 1
        }
        return rare[value]
    }

    /// The index of a syllable written out ("shan"); nil for a string that is no syllable.
    func index(ofSyllable syllable: String) -> UInt16? {
        indexBySyllable[syllable]
    }
}
