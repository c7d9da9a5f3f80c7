import Foundation

/// Company names, typed many ways for one company: `青岛合力医疗器械有限公司`,
/// `青岛 合力医疗器械 有限公司`, `合力医疗器械(青岛)有限公司`, `合力医疗`.
///
/// ```swift
/// CompanyName.normalize(" 华为技术 (北京) 有限公司 ")  // "华为技术（北京）有限公司"
/// CompanyName.isLegalName("青岛合力医疗器械有限公司")   // true
/// CompanyName.abbreviates("合力医疗", "青岛合力医疗器械有限公司")  // true
/// ```
package enum CompanyName {
    /// The name in one form: full-width letters and digits half-width, round brackets full-width
    /// `（）` as registered names write them, blanks removed except one between two Latin words
    /// (`Siemens Ltd.`). A branch or region marker stays where it is (`华为技术（北京）有限公司`): it
    /// tells apart companies registered apart. Nil when nothing but blanks is left.
    package static func normalize(_ raw: some StringProtocol) -> String? {
        var out: [Unicode.Scalar] = []
        var pendingSpace = false
        for var scalar in TextFolding.fold(raw) {
            switch scalar {
            case " ":
                pendingSpace = !out.isEmpty
                continue
            case "(": scalar = "（"
            case ")": scalar = "）"
            default: break
            }
            if pendingSpace, let last = out.last, isLatin(last), isLatin(scalar) { out.append(" ") }
            pendingSpace = false
            out.append(scalar)
        }
        return out.isEmpty ? nil : TextFolding.string(out)
    }

    /// Whether `name` (normalized) ends in a legal form: `有限公司`, `有限责任公司`, `股份有限公司`,
    /// `（有限合伙）`, `（普通合伙）`, `合伙企业`, `合作社`, `事务所`, or `Co., Ltd.`, `Inc.`, `GmbH`…
    package static func isLegalName(_ name: String) -> Bool {
        if legalSuffixes.contains(where: { name.hasSuffix($0) }) { return true }
        let latin = String(name.lowercased().filter { $0 != " " })
        return latinSuffixes.contains { latin.hasSuffix($0) }
    }

    /// Whether `short` is a shorter form of the legal name `full`: not a legal name itself, and its
    /// characters, two or more, found in `full` in order (`合力医疗`, `青岛合力` of
    /// `青岛合力医疗器械有限公司`).
    package static func abbreviates(_ short: String, _ full: String) -> Bool {
        // The same name again, the common case, answers before any character is counted.
        guard !sameBytes(short, full) else { return false }
        guard short.count >= 2, short.count < full.count, isLegalName(full), !isLegalName(short) else { return false }
        var remaining = Substring(full)
        for character in short {
            guard let found = remaining.firstIndex(of: character) else { return false }
            remaining = remaining[remaining.index(after: found)...]
        }
        return true
    }

    /// `==` without its Unicode equivalence: the same UTF-8 bytes, by `memcmp`.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
        return (compared ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    /// Letters, digits and ASCII punctuation keep a blank between them; Han characters and the
    /// full-width brackets do not.
    @inline(__always)
    private static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 0x20 && scalar.value < 0x7F
    }

    private static let legalSuffixes = ["公司", "合伙）", "合伙企业", "合作社", "事务所"]
    private static let latinSuffixes = [
        "ltd", "ltd.", "limited", "inc", "inc.", "llc", "corp", "corp.", "corporation", "gmbh", "plc", "co.,ltd",
    ]
}
