import Extract

extension FuzzTarget {
    /// XLSXReader on the input as a whole .xlsx file: the zip layer (ZipArchive, the
    /// inflating thread, CRC and size/ratio limits), the workbook's parts through libxml2, and the
    /// sheet, read to the end.
    static let xlsx = FuzzTarget(name: "xlsx", summary: "XLSXReader on raw bytes (zip layer, workbook parts, sheet)") { input in
        let path = ScratchFile.write(input)
        // Deflate inflates at most about 1,032 to 1.
        drain({ () throws(ExtractError) in try XLSXReader(path: path) }, order: .sheetRows, maxResults: input.count * 1_100 + 1)
    }

    /// XLSXReader on a workbook whose first sheet's XML is the input, stored uncompressed beside
    /// fixed workbook, styles (a date style) and shared-strings parts: the sheet scanner and the
    /// cell values, without the fuzzer having to make a zip archive first.
    static let xlsxSheet = FuzzTarget(
        name: "xlsx-sheet", summary: "XLSXReader's sheet scanner and cell values (the input is sheet1.xml)"
    ) { input in
        let path = ScratchFile.write(storedZip(XLSXParts.fixed + [StoredEntry("xl/worksheets/sheet1.xml", Array(input))]))
        // Every row is a `row` element.
        drain(
            { () throws(ExtractError) in try XLSXReader(path: path) }, order: .sheetRows,
            maxResults: occurrences(of: "row", in: input))
    }
}
/// The parts of a one-sheet workbook other than the sheet.
private enum XLSXParts {
    static let fixed: [StoredEntry] = {
        let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        let main = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let relationships = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        let parts = [
            ("[Content_Types].xml", head + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
            (
                "_rels/.rels",
                head + relationships
                    + #"<Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
            (
                "xl/_rels/workbook.xml.rels",
                head + relationships
                    + #"<Relationship Id="rId1" Type="\#(rel)/worksheet" Target="worksheets/sheet1.xml"/>"#
                    + #"<Relationship Id="rId2" Type="\#(rel)/styles" Target="styles.xml"/>"#
                    + #"<Relationship Id="rId3" Type="\#(rel)/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
            (
                "xl/workbook.xml",
                head + "<workbook \(main) xmlns:r=\"\(rel)\"><workbookPr/><sheets>"
                    + #"<sheet name="客户 Customers" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
            (
                "xl/styles.xml",
                head + "<styleSheet \(main)><numFmts count=\"1\">"
                    + #"<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts><cellXfs count="3">"#
                    + #"<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>"#
                    + "</cellXfs></styleSheet>"
            ),
            (
                "xl/sharedStrings.xml",
                head + "<sst \(main) count=\"4\" uniqueCount=\"4\">"
                    + "<si><t>客户编号 Customer No.</t></si><si><t>手机 Mobile</t></si>"
                    + "<si><r><t>张</t></r><r><t>伟</t></r><rPh sb=\"0\" eb=\"1\"><t>ちょう</t></rPh></si>"
                    + "<si><t xml:space=\"preserve\"> 138 0013 8000 </t></si></sst>"
            ),
        ]
        return parts.map { StoredEntry($0.0, Array($0.1.utf8)) }
    }()
}
