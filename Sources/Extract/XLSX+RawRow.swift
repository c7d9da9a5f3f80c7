extension XLSXReader {
    /// The next row as the sheet holds it, at its own width and unchecked, with its sheet row
    /// number: `crmbridge init` reads a sheet's first rows this way, to find the header below
    /// title rows, before any source is set up. A row of a damaged sheet gives what could be read.
    package func nextRawRow() throws(ExtractError) -> (number: Int, values: [String])? {
        guard let row = try nextRow() else { return nil }
        let width = XLSXCellText.width(of: row, in: batch)
        return (row.number, cellText.values(of: row, in: batch, width: width).values)
    }
}

extension XLSXReader {
    /// The names of a workbook's worksheets, in tab order (chart and dialog sheets left out).
    package static func sheetNames(path: String, limits: Limits = Limits()) throws(ExtractError) -> [String] {
        let package = try XLSXPackage(path: path, limits: limits)
        return try XLSXWorkbook(package).sheets.filter(\.isWorksheet).map(\.name)
    }
}
