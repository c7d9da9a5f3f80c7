/// Which cell styles show a number as a date: Excel stores a date as a serial number, and only
/// the style's number format (`xl/styles.xml`, `cellXfs` → `numFmtId`) says it is one.
final class XLSXStylesHandler: XLSXPartHandler {
    private var formatCodes: [Int: String] = [:]
    private var styleFormats: [Int] = []
    private var inNumberFormats = false
    private var inCellFormats = false

    /// By style index (a cell's `s`): whether its number is a date.
    var dateStyles: [Bool] {
        styleFormats.map { id in formatCodes[id].map(Self.isDateFormat) ?? Self.builtInDateFormats.contains(id) }
    }

    override func start(_ name: XMLName, _ attributes: XMLAttributes) {
        if name.is("numFmts") {
            inNumberFormats = true
        } else if name.is("cellXfs") {
            inCellFormats = true
        } else if inNumberFormats, name.is("numFmt"), let id = attributes.integer("numFmtId") {
            formatCodes[id] = attributes.string("formatCode") ?? ""
        } else if inCellFormats, name.is("xf") {
            styleFormats.append(attributes.integer("numFmtId") ?? 0)
        }
    }

    override func end(_ name: XMLName) {
        if name.is("numFmts") {
            inNumberFormats = false
        } else if name.is("cellXfs") {
            inCellFormats = false
        }
    }

    /// The built-in formats that show dates and times (ECMA-376 18.8.30, with the ids East
    /// Asian Excel uses for its own date formats: 27–36, 50–58).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// Whether a format code shows a date or time: a y, m, d, h or s outside quoted text,
    /// escapes and `[…]` sections (`[Red]`, `[$-804]`). Elapsed-time formats (`[h]:mm`) show
    /// a duration, not a point in time: they stay numbers.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket: [Character]?
        var escaped = false
        var sawDatePart = false
        for char in code {
            if escaped { escaped = false; continue }
            if quoted { quoted = char != "\""; continue }
            if var open = bracket {
                if char == "]" {
                    let inside = String(open).lowercased()
                    if !inside.isEmpty && inside.allSatisfy({ "hms".contains($0) }) { return false }
                    bracket = nil
                } else {
                    open.append(char)
                    bracket = open
                }
                continue
            }
            switch char {
            case "\"": quoted = true
            case "\\", "_", "*": escaped = true
            case "[": bracket = []
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S": sawDatePart = true
            default: break
            }
        }
        return sawDatePart
    }
}
