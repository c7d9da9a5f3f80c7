/// Prose before an address, as people type it into a form's address box or paste it from a
/// chat: 我家的地址是江苏淮安清江浦区…, 寄到：…, 收货地址:…, 公司在…, 请寄往….
extension AddressReader {
    /// Where the divisions start after a short piece of prose, or nil when there is none.
    ///
    /// The prose must end in a cue that announces an address (a colon, 地址是, 寄到, 位于, 公司在…)
    /// and the divisions must follow the cue at once: a division named in the middle of a sentence
    /// (我去过北京, 在北京出差) is no address. Prose that reads like a street (中山路8号 住在…) is
    /// the address itself, not an introduction to one.
    func afterProse(from start: Int, end: Int) -> Int? {
        let limit = min(end, start + Self.proseLimit + 1)
        var candidate = start + 1
        while candidate < limit {
            defer { candidate += 1 }
            if Self.isSeparator(text[candidate]) || Self.isProseMark(text[candidate]) { continue }
            var cueEnd = candidate
            var colon = false
            while cueEnd > start && (Self.isSeparator(text[cueEnd - 1]) || Self.isProseMark(text[cueEnd - 1])) {
                colon = colon || text[cueEnd - 1] == ":"
                cueEnd -= 1
            }
            let prose = text[start..<cueEnd]
            guard !prose.isEmpty, colon || Self.proseCues.contains(where: { prose.ends(with: $0) }) else { continue }
            if Self.readsLikeStreet(prose) { return nil }
            var divisions = skipPreamble(from: candidate)
            while divisions < end && Self.isSeparator(text[divisions]) { divisions += 1 }
            if divisions < end && bestToken(at: divisions, end: end, chains: [Chain()]) != nil { return divisions }
        }
        return nil
    }

    /// How much prose is looked through: enough for 收货人：张三 电话：13800138000 地址：.
    private static let proseLimit = 40

    /// The words a cue ends with: a place noun, alone or with 是 / 为 / 在 (地址是, 所在地为), and
    /// the verbs of sending and being somewhere. A bare 在 is not a cue (在北京出差).
    private static let proseCues: [[Unicode.Scalar]] = {
        let nouns = ["地址", "住址", "地点", "位置", "所在地"].flatMap { noun in ["", "是", "为", "在"].map { noun + $0 } }
        let verbs = [
            "寄到", "寄往", "寄至", "邮到", "邮至", "送到", "送往", "送至", "发到", "发往", "发至", "位于", "坐落于",
            "坐落在", "住在", "家在", "公司在", "单位在", "店在", "厂在", "门店在", "办公室在", "搬到", "搬至", "迁到", "迁至",
        ]
        return (nouns + verbs).map { Array($0.unicodeScalars) }
    }()

    /// Colons, quotes and brackets around a cue: 【收货地址】, “寄到”：.
    private static func isProseMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ":", "\"", "'", "“", "”", "‘", "’", "「", "」", "『", "』", "【", "】", "(", ")", "[", "]": true
        default: false
        }
    }

    /// A number with a unit (8号, 3楼, 1501室) or a street word: the text is an address already.
    private static func readsLikeStreet(_ prose: ArraySlice<Unicode.Scalar>) -> Bool {
        var afterDigit = false
        for scalar in prose {
            switch scalar {
            case "路", "街", "巷", "弄": return true
            case "号", "楼", "室", "栋", "幢", "层":
                if afterDigit { return true }
                afterDigit = false
            default: afterDigit = TextFolding.isASCIIDigit(scalar.value)
            }
        }
        return false
    }
}

extension ArraySlice where Element == Unicode.Scalar {
    fileprivate func ends(with suffix: [Unicode.Scalar]) -> Bool {
        count >= suffix.count && self.suffix(suffix.count).elementsEqual(suffix)
    }
}
