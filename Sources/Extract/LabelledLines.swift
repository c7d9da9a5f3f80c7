/// A mapped column that picks one labelled answer out of a text value: `Content#手机|电话|联系电话`.
///
/// Form answers pushed as one message arrive as `label：value` pairs in one element or string,
/// one per line or several on a line, as each form tool writes them:
///
/// ```
/// 【预约演示】
/// 姓名：张伟
/// 手机=138 0013 8000；公司：深圳市某某科技有限公司
/// 需求：想了解价格 时间：周六 14:33 来源：公众号菜单
/// ```
///
/// `Content#手机|电话` is the value of the first answer whose label is 手机 or 电话 and whose value
/// is not empty, whatever the order of the answers. No such answer: the value is empty. The
/// rules, in the order a reader needs them:
///
/// - A label ends at `：`, `:`, `=` or `＝`; blanks around the label and the value are dropped.
///   `:` followed by `/` separates nothing (`http://`).
/// - Answers are separated by line breaks, and by `；` `;` `|` `｜` `，` `,` or tabs when what
///   follows is `LABEL：`; a run of blanks separates them too when what follows is a short label
///   (up to 16 characters, no blanks, no ASCII digits) and a separator: `手机：138 0013 8000 公司：某某`
///   is two answers, while `时间：周六 14:33` and `网址：http://a.cn/x` are one each.
/// - A label that starts a line or follows one of the separators above may be longer (32
///   characters), hold digits and blanks; when it holds blanks its last word counts as the label
///   too (`预约 姓名：张伟`). A label is never all digits.
/// - A `【…】` title before a label is skipped (`【预约演示】姓名：张伟`); a line without a
///   label (`【预约演示】`, `你好，在吗？`) is no answer.
/// - A value runs until the next answer or the line's end; separators at its end are dropped.
struct LabelledPath: Sendable, Equatable {
    /// The path of the value that holds the answers.
    var base: String
    /// The labels to look for; nil for a column that is a plain path.
    var labels: [String]?
    /// `labels` as UTF-8, compared against the text's bytes.
    private(set) var labelBytes: [[UInt8]]

    init(_ column: String) {
        // A `#` inside a JSON selector (`answers[label=#1]`) is part of the path.
        let tail = column.lastIndex(of: "]").map { column[$0...] } ?? column[...]
        guard let hash = tail.lastIndex(of: "#") else {
            base = column
            labels = nil
            labelBytes = []
            return
        }
        let labels = column[column.index(after: hash)...].split(separator: "|").map { $0.trimmingBlanks() }.filter { !$0.isEmpty }
        guard !labels.isEmpty else {
            base = column
            self.labels = nil
            labelBytes = []
            return
        }
        base = String(column[..<hash])
        self.labels = labels
        labelBytes = labels.map { Array($0.utf8) }
    }

    /// The value the column stands for, given the text at `base`.
    func value(from text: String) -> String {
        guard labels != nil else { return text }
        return labelledValue(in: text, labelBytes: labelBytes)
    }
}

/// `LabelledPath.value(from:)` of several labelled columns of one text (their `labelBytes`), in
/// one walk over it, not one a column: a WeChat push's four labelled columns walked its text
/// four times, a fifth of the XML reader's time.
func labelledValues(in text: String, labelSets: [[[UInt8]]]) -> [String] {
    text.withUTF8Bytes { bytes in
        LabelledText(bytes).firstAnswers(labelledOneOf: labelSets).map { range in
            range.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) } ?? ""
        }
    }
}

/// The value of the first non-empty answer of `text` whose label is one of `labels` (see `LabelledPath`).
func labelledValue(in text: String, labels: [String]) -> String {
    labelledValue(in: text, labelBytes: labels.map { Array($0.utf8) })
}

private func labelledValue(in text: String, labelBytes: [[UInt8]]) -> String {
    text.withUTF8Bytes { bytes in
        guard let range = LabelledText(bytes).firstAnswer(labelledOneOf: labelBytes) else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// Every labelled answer of `text`, in order (see `LabelledPath` for what makes an answer):
/// `crmbridge init` reads a few records' text this way to propose `Content#LABEL` columns.
///
/// ```swift
/// labelledAnswers(in: "姓名：张伟\n手机：138 0013 8000")   // [("姓名", "张伟"), ("手机", "138 0013 8000")]
/// ```
package func labelledAnswers(in text: String) -> [(label: String, value: String)] {
    text.withUTF8Bytes { bytes in
        LabelledText(bytes).answers().map { answer in
            (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[answer.label]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[answer.value]), as: UTF8.self)
            )
        }
    }
}

/// One scan of a text's UTF-8 for labelled answers; runs for every labelled column of every row,
/// so it reads bytes in place and makes no string but the value it returns.
private struct LabelledText {
    enum Mark { case hardBreak, blank, softBreak, separator, titleOpen, titleClose, other }

    struct Label {
        var range: Range<Int>
        /// The label's last word, when the label holds blanks.
        var lastWord: Range<Int>?
        var valueStart: Int
    }

    let s: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        s = bytes
    }

    func firstAnswer(labelledOneOf labels: [[UInt8]]) -> Range<Int>? {
        firstAnswers(labelledOneOf: [labels])[0]
    }

    /// Per set of labels, the value of the first non-empty answer labelled with one of them.
    func firstAnswers(labelledOneOf sets: [[[UInt8]]]) -> [Range<Int>?] {
        var found = [Range<Int>?](repeating: nil, count: sets.count)
        var missing = sets.count
        walk { label, value in
            guard !value.isEmpty else { return false }
            for index in sets.indices where found[index] == nil && matches(label, sets[index]) {
                found[index] = value
                missing -= 1
            }
            return missing == 0
        }
        return found
    }

    /// Every answer, in order: its label (the last word of a label that holds blanks) and value.
    func answers() -> [(label: Range<Int>, value: Range<Int>)] {
        var answers: [(label: Range<Int>, value: Range<Int>)] = []
        walk { label, value in
            answers.append((label.lastWord ?? label.range, value))
            return false
        }
        return answers
    }

    /// Calls `visit` with each answer's label and value until it returns true.
    private func walk(_ visit: (Label, Range<Int>) -> Bool) {
        var i = 0
        var segmentStart = true
        while i < s.count {
            if let label = label(at: i, segmentStart: segmentStart) {
                let (value, next, nextSegmentStart) = value(from: label.valueStart)
                if visit(label, value) { return }
                i = next
                segmentStart = nextSegmentStart
                continue
            }
            // No answer starts here: go past this word and the breaks after it.
            while i < s.count {
                let (mark, width) = mark(at: i)
                if mark == .blank || mark == .softBreak || mark == .hardBreak { break }
                i += width
            }
            segmentStart = false
            while i < s.count {
                let (mark, width) = mark(at: i)
                if mark == .softBreak || mark == .hardBreak {
                    segmentStart = true
                } else if mark != .blank {
                    break
                }
                i += width
            }
        }
    }

    private func matches(_ label: Label, _ labels: [[UInt8]]) -> Bool {
        func equal(_ range: Range<Int>, _ wanted: [UInt8]) -> Bool {
            range.count == wanted.count && UnsafeBufferPointer(rebasing: s[range]).elementsEqual(wanted)
        }
        return labels.contains { wanted in
            equal(label.range, wanted) || label.lastWord.map { equal($0, wanted) } == true
        }
    }

    /// The label starting at `start` (blanks first are skipped), with where its value starts.
    /// At a segment start (a line's start, or after `；` and the like) it may be long and hold
    /// digits and blanks; after blanks alone it must look like a label, not like `14:33`.
    private func label(at start: Int, segmentStart: Bool) -> Label? {
        var i = skipBlanks(from: start)
        if segmentStart, i < s.count, mark(at: i).mark == .titleOpen, let close = titleEnd(from: i) {
            i = skipBlanks(from: close)
        }
        let labelStart = i
        var labelEnd = i
        var wordStart = i
        var characters = 0
        var hasNonDigit = false
        var blankInside = false
        let limit = segmentStart ? 32 : 16
        while i < s.count {
            let (mark, width) = mark(at: i)
            switch mark {
            case .separator:
                // `http://`, `ftp://`: a scheme, not a label.
                if s[i] == 0x3A && i + 1 < s.count && s[i + 1] == 0x2F { return nil }
                guard labelEnd > labelStart, hasNonDigit else { return nil }
                let lastWord = blankInside ? wordStart..<labelEnd : nil
                return Label(range: labelStart..<labelEnd, lastWord: lastWord, valueStart: i + width)
            case .blank:
                i += width
            case .hardBreak, .softBreak:
                return nil
            case .other, .titleOpen, .titleClose:
                let isDigit = s[i] >= 0x30 && s[i] <= 0x39
                if isDigit && !segmentStart { return nil }
                if !isDigit { hasNonDigit = true }
                if labelEnd < i {
                    // A blank inside the label.
                    guard segmentStart else { return nil }
                    blankInside = true
                    wordStart = i
                }
                characters += 1
                if characters > limit { return nil }
                i += width
                labelEnd = i
            }
        }
        return nil
    }

    /// The value starting at `start`: its bytes (trimmed), where scanning goes on, and whether
    /// that is a segment start.
    private func value(from start: Int) -> (value: Range<Int>, next: Int, segmentStart: Bool) {
        var i = skipBlanks(from: start, tabs: true)
        let valueStart = i
        var valueEnd = i
        while i < s.count {
            let (mark, width) = mark(at: i)
            switch mark {
            case .hardBreak:
                return (valueStart..<valueEnd, i + width, true)
            case .blank, .softBreak:
                var run = i
                var sawSoftBreak = false
                while run < s.count {
                    let (next, nextWidth) = self.mark(at: run)
                    if next == .softBreak { sawSoftBreak = true } else if next != .blank { break }
                    run += nextWidth
                }
                if run == s.count { return (valueStart..<valueEnd, run, true) }
                if self.mark(at: run).mark == .hardBreak || label(at: run, segmentStart: sawSoftBreak) != nil {
                    return (valueStart..<valueEnd, run, sawSoftBreak)
                }
                i = run
            default:
                i += width
                valueEnd = i
            }
        }
        return (valueStart..<valueEnd, i, true)
    }

    /// Just after the `】` closing the `【` at `start`, on the same line.
    private func titleEnd(from start: Int) -> Int? {
        var i = start
        while i < s.count {
            let (mark, width) = mark(at: i)
            if mark == .hardBreak { return nil }
            i += width
            if mark == .titleClose { return i }
        }
        return nil
    }

    private func skipBlanks(from start: Int, tabs: Bool = false) -> Int {
        var i = start
        while i < s.count {
            let (mark, width) = mark(at: i)
            guard mark == .blank || (tabs && s[i] == 0x09) else { break }
            i += width
        }
        return i
    }

    /// What the character at `i` is to the scan, and its width in bytes.
    private func mark(at i: Int) -> (mark: Mark, width: Int) {
        let byte = s[i]
        switch byte {
        case 0x0A, 0x0D: return (.hardBreak, 1)
        case 0x20: return (.blank, 1)
        case 0x09, 0x3B, 0x7C, 0x2C: return (.softBreak, 1)  // tab ; | ,
        case 0x3A, 0x3D: return (.separator, 1)  // : =
        case 0x00..<0x80: return (.other, 1)
        case 0xC2 where i + 1 < s.count && s[i + 1] == 0xA0: return (.blank, 2)  // no-break space
        case 0xE2 where i + 2 < s.count && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9):
            return (.hardBreak, 3)  // line and paragraph separators
        case 0xE3 where i + 2 < s.count && s[i + 1] == 0x80:
            switch s[i + 2] {
            case 0x80: return (.blank, 3)  // ideographic space
            case 0x90: return (.titleOpen, 3)  // 【
            case 0x91: return (.titleClose, 3)  // 】
            default: return (.other, 3)
            }
        case 0xEF where i + 2 < s.count && s[i + 1] == 0xBC:
            switch s[i + 2] {
            case 0x9A, 0x9D: return (.separator, 3)  // ： ＝
            case 0x9B, 0x8C: return (.softBreak, 3)  // ； ，
            default: return (.other, 3)
            }
        case 0xEF where i + 2 < s.count && s[i + 1] == 0xBD && s[i + 2] == 0x9C: return (.softBreak, 3)  // ｜
        // A stray byte order mark is a blank, as everywhere else (`Unicode.Scalar.isBlank`).
        case 0xEF where i + 2 < s.count && s[i + 1] == 0xBB && s[i + 2] == 0xBF: return (.blank, 3)
        case 0xC0..<0xE0: return (.other, 2)
        case 0xE0..<0xF0: return (.other, 3)
        case 0xF0...: return (.other, 4)
        default: return (.other, 1)
        }
    }
}
