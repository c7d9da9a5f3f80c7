/// The street part of an address: what is left after the divisions.
enum AddressDetail {
    /// Folds the detail: blanks between Chinese text and separators removed (the parts of an
    /// address run together: 金融街648号, 银泰科技园 → 金融街648号银泰科技园), traditional forms of the
    /// unit words simplified (號 樓 棟 單 層 → 号 楼 栋 单 层), `#` after a number read as 号 (3#楼 →
    /// 3号楼), a building letter upper-cased (b座 → B座), and a trailing delivery note dropped
    /// (前台转交): it is an instruction to the courier, not part of the address.
    static func normalize(_ text: ArraySlice<Unicode.Scalar>) -> String {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex, AddressReader.isSeparator(text[index]) || text[index] == ":" { index += 1 }
        var pendingSpace = false
        var lastPart = 0  // where the part after the last comma starts in `out`
        while index < text.endIndex {
            var scalar = text[index]
            index += 1
            switch scalar {
            case " ":
                pendingSpace = true
                continue
            case ",", "，", "、", ";", "；", "|":
                pendingSpace = false
                lastPart = out.count
                continue
            case "#" where out.last.map { TextFolding.isASCIIDigit($0.value) } ?? false:
                scalar = "号"
            case "號": scalar = "号"
            case "樓": scalar = "楼"
            case "棟": scalar = "栋"
            case "單": scalar = "单"
            case "層": scalar = "层"
            case "衖": scalar = "弄"
            default:
                if scalar.value >= 0x61 && scalar.value <= 0x7A, index < text.endIndex, isUnitWord(text[index]) {
                    scalar = Unicode.Scalar(scalar.value - 0x20)!
                }
            }
            if pendingSpace, let last = out.last, isWordCharacter(last), isWordCharacter(scalar) {
                out.append(" ")
            }
            pendingSpace = false
            out.append(scalar)
        }
        for note in deliveryNotes where out.count > note.count && out.suffix(note.count).elementsEqual(note) {
            out.removeLast(note.count)
            lastPart = min(lastPart, out.count)
            break
        }
        // A last part that gives directions (, 近地铁站 / , 地铁站附近) is not part of the address.
        if lastPart > 0 && lastPart < out.count {
            let part = out[lastPart...]
            if directionPrefixes.contains(where: { part.starts(with: $0) })
                || directionSuffixes.contains(where: { part.count > $0.count && part.suffix($0.count).elementsEqual($0) })
            {
                out.removeSubrange(lastPart...)
            }
        }
        while let last = out.last, AddressReader.isSeparator(last) || last == ":" { out.removeLast() }
        return TextFolding.string(out[...])
    }

    @inline(__always)
    private static func isUnitWord(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "座", "栋", "幢", "楼", "单", "号", "区", "室", "层": true
        default: false
        }
    }

    /// Latin letters and digits keep a blank between them (Room 1501, Tower A).
    @inline(__always)
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        TextFolding.isASCIILetter(scalar.value) || TextFolding.isASCIIDigit(scalar.value)
    }

    private static let directionPrefixes: [[Unicode.Scalar]] = ["近", "靠近", "临近", "邻近"].map { Array($0.unicodeScalars) }
    private static let directionSuffixes: [[Unicode.Scalar]] = ["附近", "旁边", "对面", "旁"].map { Array($0.unicodeScalars) }

    private static let deliveryNotes: [[Unicode.Scalar]] = [
        "前台转交", "转交前台", "请放前台", "放前台", "前台代收", "门卫代收", "放门卫", "放门卫室", "放快递柜", "快递柜",
        "请送前台", "送前台",
    ].map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
}
