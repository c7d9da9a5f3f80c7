import Foundation
import Testing

@testable import Transform

/// The generated per-character table and its corrections.
struct PinyinTests {
    @Test(
        "characters read as ICU reads them",
        arguments: [
            ("深圳", ["shen", "zhen"]),
            ("女", ["nü"]),
            ("吕", ["lü"]),
            ("略", ["lüe"]),
            ("𠀁", ["qi"]),  // Extension B
            ("A张-", ["zhang"]),  // other characters are skipped
        ])
    func syllables(text: String, syllables: [String]) {
        #expect(Pinyin.syllables(of: text) == syllables)
    }

    @Test("characters ICU reads as nobody names them are corrected", arguments: PinyinTable.nameReadings.map { $0 })
    func nameReadings(character: Unicode.Scalar, syllable: String) {
        #expect(Pinyin.syllable(of: character) == syllable)
    }

    @Test func toneless() {
        #expect(Pinyin.toneless("长江") == "chang jiang")
        #expect(Pinyin.toneless("成都", separator: "") == "chengdu")
    }

    /// The committed table is ICU's: every 7th ideograph of the common blocks (and every 101st of
    /// the rest) must read as the system's ICU reads it, tones removed. If ICU changes, run
    /// scripts/gen_pinyin.py again.
    @Test func tableMatchesSystemICU() throws {
        let corrected = Set(PinyinTable.nameReadings.map(\.0.value))
        var values = Array(stride(from: UInt32(0x3400), through: 0x9FFF, by: 7))
        values += Array(stride(from: UInt32(0x20000), through: 0x2EBEF, by: 101))
        var checked = 0
        var differences: [String] = []
        // One transform call for many characters: opening the transform is the slow part.
        for chunk in stride(from: 0, to: values.count, by: 300) {
            let scalars = values[chunk..<min(chunk + 300, values.count)].compactMap(Unicode.Scalar.init)
            let text = scalars.map { String($0) }.joined(separator: "\n")
            let latin = try #require(Pinyin.icuTransliteration(text)).components(separatedBy: "\n")
            try #require(latin.count == scalars.count)
            for (scalar, reading) in zip(scalars, latin) where !corrected.contains(scalar.value) {
                let expected = Self.toneless(reading)
                let unread = expected.isEmpty || !expected.unicodeScalars.allSatisfy { $0.isASCII || $0 == "ü" }
                let actual = Pinyin.syllable(of: scalar)
                if unread ? actual != nil : actual != expected {
                    let code = String(scalar.value, radix: 16, uppercase: true)
                    differences.append("U+\(code) \(scalar): ICU \(reading), table \(actual ?? "-")")
                }
                checked += 1
            }
        }
        #expect(checked > 4_000)
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }

    private static func toneless(_ latin: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in latin.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.canonicalCombiningClass != .notReordered && scalar != "\u{0308}" { continue }
            out.append(scalar)
        }
        return String(out).precomposedStringWithCanonicalMapping.lowercased()
    }
}
