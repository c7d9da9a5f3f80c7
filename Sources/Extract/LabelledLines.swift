/// A mapped column that picks one labelled line out of a text value: `Content#手机|电话|联系电话`.
///
/// Form answers pushed as one message arrive as `label：value` lines in one element or string:
///
/// ```
/// 姓名：张伟
/// 手机：138 0013 8000
/// 公司：深圳市某某科技有限公司
/// ```
///
/// `Content#手机|电话` is the value after the first line whose label is 手机 or 电话, whatever the
/// order of the lines; the label ends at the first full-width `：` or ASCII `:`, and blanks around
/// the label and the value are dropped. No such line: the value is empty.
struct LabelledPath: Sendable, Equatable {
    /// The path of the value that holds the lines.
    var base: String
    /// The labels to look for; nil for a column that is a plain path.
    var labels: [String]?

    init(_ column: String) {
        guard let hash = column.lastIndex(of: "#") else {
            base = column
            labels = nil
            return
        }
        let labels = column[column.index(after: hash)...].split(separator: "|").map { $0.trimmingBlanks() }.filter { !$0.isEmpty }
        guard !labels.isEmpty else {
            base = column
            self.labels = nil
            return
        }
        base = String(column[..<hash])
        self.labels = labels
    }

    /// The value the column stands for, given the text at `base`.
    func value(from text: String) -> String {
        guard let labels else { return text }
        return labelledValue(in: text, labels: labels)
    }
}

/// The value of the first line of `text` whose label is one of `labels` (see `LabelledPath`).
func labelledValue(in text: String, labels: [String]) -> String {
    for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\u{2028}" }) {
        guard let separator = line.firstIndex(where: { $0 == "：" || $0 == ":" }) else { continue }
        let label = line[..<separator].trimmingBlanks()
        if labels.contains(label) {
            return line[line.index(after: separator)...].trimmingBlanks()
        }
    }
    return ""
}
