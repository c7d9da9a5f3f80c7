import Extract

extension FuzzTarget {
    static let xmlColumns = ["MsgId", "CreateTime", "Content", "Content#手机|电话|联系电话", "a/b", "utm.source"]

    /// XMLReader on the input as a whole file of WeChat pushes (`<xml>` records): nesting, CDATA,
    /// entities, DTDs (refused), documents that break off.
    static let xml = FuzzTarget(name: "xml", summary: "XMLReader (pushes, nesting, CDATA, DTDs refused, truncation)") { input in
        let path = ScratchFile.write(input)
        let columns = xmlColumns
        let content = columns.firstIndex(of: "Content")!
        let labelled = columns.firstIndex(of: "Content#手机|电话|联系电话")!
        // A record is an element: `<xml/>` is six bytes. One malformed record may follow them.
        drain(
            { () throws(ExtractError) in try XMLReader(path: path, columns: columns) },
            order: .nondecreasingLines, maxResults: input.count / 6 + 2
        ) { record, _ in
            checkLabelled(record.values[labelled], in: record.values[content], at: record.locator)
        }
    }
}
