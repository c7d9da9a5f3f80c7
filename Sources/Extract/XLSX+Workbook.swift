/// The workbook part of an .xlsx file: its sheets in tab order, where each one's XML lives, the
/// shared-strings and styles parts, and the date system. Every location comes from the package
/// relationships, as the format says: writers other than Excel name their parts differently.
struct XLSXWorkbook {
    struct Sheet {
        var name: String
        /// The sheet's part in the package; nil when the relationships do not name one.
        var part: String?
        /// False for chart and dialog sheets, which hold no cells.
        var isWorksheet: Bool
    }

    var sheets: [Sheet] = []
    /// Serial day 0 is 1904-01-01 instead of 1899-12-31 (workbooks made by old Mac Excel).
    var date1904 = false
    var sharedStringsPart: String?
    var stylesPart: String?

    init(_ package: XLSXPackage) throws(ExtractError) {
        let root = try Self.relationships(of: "", in: package)
        let workbookPart =
            root.first { $0.type.hasSuffix("/officeDocument") }.map { Self.resolve($0.target, in: "") }
            ?? "xl/workbook.xml"
        guard package.entry(workbookPart) != nil else {
            throw ExtractError(
                .unsupported, file: package.path,
                "a zip archive but not an Excel workbook: it has no \(workbookPart)")
        }
        let workbook = WorkbookHandler()
        try package.parse(workbookPart, with: workbook)
        date1904 = workbook.date1904

        let folder = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relationships = try Self.relationships(of: workbookPart, in: package)
        let byID = Dictionary(relationships.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        sheets = workbook.sheets.map { sheet in
            let relationship = byID[sheet.relationshipID]
            return Sheet(
                name: sheet.name, part: relationship.map { Self.resolve($0.target, in: folder) },
                isWorksheet: relationship?.type.hasSuffix("/worksheet") ?? false)
        }
        sharedStringsPart = relationships.first { $0.type.hasSuffix("/sharedStrings") }.map {
            Self.resolve($0.target, in: folder)
        }
        stylesPart = relationships.first { $0.type.hasSuffix("/styles") }.map { Self.resolve($0.target, in: folder) }
    }

    /// The sheet a source names: by name, else by 1-based position; nil: the first worksheet.
    func sheet(_ selector: String?, file: String) throws(ExtractError) -> (sheet: Sheet, part: String) {
        let chosen: Sheet?
        if let selector {
            chosen =
                sheets.first { $0.name == selector }
                ?? sheets.first { $0.name.trimmingBlanks().lowercased() == selector.trimmingBlanks().lowercased() }
                ?? Int(selector).flatMap { $0 >= 1 && $0 <= sheets.count ? sheets[$0 - 1] : nil }
        } else {
            chosen = sheets.first(where: \.isWorksheet)
        }
        guard let chosen else {
            let list = sheets.enumerated().map { "\($0.offset + 1) \"\($0.element.name)\"" }.joined(separator: ", ")
            throw ExtractError(
                .cannotRead, file: file,
                selector.map {
                    "the workbook has no sheet \"\($0)\"; its sheets: \(list.isEmpty ? "none" : list)"
                } ?? "the workbook has no worksheet")
        }
        guard chosen.isWorksheet, let part = chosen.part else {
            throw ExtractError(.unsupported, file: file, "sheet \"\(chosen.name)\" is a chart or dialog sheet: it holds no rows")
        }
        return (chosen, part)
    }

    /// The relationships of a part (`""`: of the package), from `FOLDER/_rels/NAME.rels`.
    private static func relationships(of part: String, in package: XLSXPackage) throws(ExtractError) -> [RelationshipsHandler
        .Relationship]
    {
        var components = part.split(separator: "/").map(String.init)
        let name = components.popLast() ?? ""
        let relsPart = (components + ["_rels", "\(name).rels"]).joined(separator: "/")
        guard package.entry(relsPart) != nil else { return [] }
        let handler = RelationshipsHandler()
        try package.parse(relsPart, with: handler)
        return handler.relationships
    }

    /// A relationship target: absolute from the package root when it starts with `/`, else
    /// relative to the folder of the part that holds the relationship.
    static func resolve(_ target: String, in folder: String) -> String {
        var components: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }
}

private final class WorkbookHandler: XLSXPartHandler {
    var sheets: [(name: String, relationshipID: String)] = []
    var date1904 = false

    override func start(_ name: XMLName, _ attributes: XMLAttributes) {
        if name.is("sheet") {
            sheets.append((attributes.string("name") ?? "", attributes.string("id") ?? ""))
        } else if name.is("workbookPr") {
            let value = attributes.string("date1904")
            date1904 = value == "1" || value == "true"
        }
    }
}

private final class RelationshipsHandler: XLSXPartHandler {
    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    var relationships: [Relationship] = []

    override func start(_ name: XMLName, _ attributes: XMLAttributes) {
        guard name.is("Relationship"), attributes.string("TargetMode") != "External",
            let target = attributes.string("Target")
        else { return }
        relationships.append(
            Relationship(
                id: attributes.string("Id") ?? "", type: attributes.string("Type") ?? "",
                target: target))
    }
}
