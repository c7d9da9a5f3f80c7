/// Streams the rows of one worksheet of an .xlsx workbook, holding the shared-strings table and a
/// few batches of rows in memory, never the sheet.
///
/// ```swift
/// let reader = try XLSXReader(path: "erp_customers.xlsx", options: .init(sheet: "客户 Customers"))
/// while let result = try reader.next() { … }   // locator: 客户 Customers!7
/// ```
///
/// Three threads share the work: one inflates the sheet (`XLSXInflater`), one tokenizes it
/// (`XLSXSheetScanner`; libxml2 reads the workbook's other parts) and only records each cell's
/// raw bytes (`XLSXRowStream`), and the reader's makes text of them (`XLSXCellText`). Values come out as text the way Excel shows
/// them to a person who copies them out: shared, inline, rich-text (phonetic runs left out)
/// and formula strings as they are; `TRUE`/`FALSE`; integers as their digits, so that a mobile
/// stored as a number (`13800138000`, `1.38001380000E10`) is `13800138000`; other numbers as
/// the shortest decimal; numbers in a date style as ISO 8601 local text (`2026-01-05`,
/// `2026-01-05 08:30:00`) in the workbook's 1900 or 1904 date system; error cells (`#N/A`) as
/// empty. Columns are the header row's cells by column letter, so sparse cells land under
/// their header; cells right of the last header cell are ignored (worksheets often carry
/// notes there, and nothing can map them).
///
/// Each record's locator is its sheet row (`SHEET!N`). A row with no value under the header is
/// an `empty_row`, a row that refers to a missing shared string is `malformed`, a cell or row
/// over its `Limits` is `too_large`; the file goes on. A sheet whose zip data is damaged or
/// over a limit fails before its first row; one whose XML breaks off yields its rows up to the
/// damage, then throws.
package final class XLSXReader: RecordReader {
    package struct Options: Sendable {
        /// A sheet name, else a 1-based position in the workbook's tab order; nil: the first
        /// worksheet.
        package var sheet: String?
        /// The 1-based sheet row that holds the column names; rows above it are a preamble.
        package var headerRow: Int
        package var limits: Limits

        package init(sheet: String? = nil, headerRow: Int = 1, limits: Limits = Limits()) {
            self.sheet = sheet
            self.headerRow = headerRow
            self.limits = limits
        }
    }

    package private(set) var columns: [String] = []
    package let sheetName: String
    /// Every sheet of the workbook, in tab order.
    package let sheetNames: [String]
    package let date1904: Bool

    private let path: String
    private let stream: XLSXRowStream
    let cellText: XLSXCellText
    var batch = XLSXRawRows()
    private var batchIndex = 0

    package init(path: String, options: Options = Options()) throws(ExtractError) {
        self.path = path
        let package = try XLSXPackage(path: path, limits: options.limits)
        let workbook = try XLSXWorkbook(package)
        let (sheet, part) = try workbook.sheet(options.sheet, file: path)
        sheetName = sheet.name
        sheetNames = workbook.sheets.map(\.name)
        date1904 = workbook.date1904

        let strings = XLSXSharedStringsHandler(limits: options.limits)
        if let sharedStrings = workbook.sharedStringsPart, package.entry(sharedStrings) != nil {
            try package.parse(sharedStrings, with: strings, streamed: true)
        }
        let styles = XLSXStylesHandler()
        if let stylesPart = workbook.stylesPart, package.entry(stylesPart) != nil {
            try package.parse(stylesPart, with: styles)
        }
        let handler = XLSXSheetHandler(dateStyles: styles.dateStyles, limits: options.limits)
        cellText = XLSXCellText(sharedStrings: strings.strings, date1904: workbook.date1904, limits: options.limits)
        let work = SheetWork(package: package, part: part, handler: handler)
        // A missing part fails at once, wherever it is read.
        let inline = package.entry(part).map(XLSXInflater.inflatesInline) ?? true
        stream = XLSXRowStream(inline: inline) { stream in work.run(into: stream) }
        try readHeader(options.headerRow)
    }

    deinit {
        stream.cancel()
    }

    package func next() throws(ExtractError) -> ReadResult? {
        guard let row = try nextRow() else { return nil }
        return check(row)
    }

    func nextRow() throws(ExtractError) -> XLSXRawRows.Row? {
        while batchIndex >= batch.rows.count {
            guard let next = try stream.receive() else { return nil }
            batch = next
            batchIndex = 0
        }
        batchIndex += 1
        return batch.rows[batchIndex - 1]
    }

    private func readHeader(_ headerRow: Int) throws(ExtractError) {
        let headerRow = max(1, headerRow)
        while let row = try nextRow() {
            if row.number < headerRow { continue }
            guard row.number == headerRow else { break }
            let width = XLSXCellText.width(of: row, in: batch)
            var columns = cellText.values(of: row, in: batch, width: width).values.map { $0.trimmingBlanks() }
            while columns.last?.isEmpty == true { columns.removeLast() }
            if columns.isEmpty { break }
            self.columns = columns
            return
        }
        throw ExtractError(
            .noHeader, file: path,
            """
            sheet "\(sheetName)" has no column names in row \(headerRow): set `header_row` to the row \
            that holds them
            """)
    }

    private func check(_ row: XLSXRawRows.Row) -> ReadResult {
        let locator = Locator.sheetRow(sheet: sheetName, row: row.number)
        let (values, problem) = cellText.values(of: row, in: batch, width: columns.count)
        if let problem {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: problem.refusal, message: problem.message,
                    values: values))
        }
        if values.allSatisfy(\.isBlank) {
            return .unreadable(
                UnreadableRecord(
                    locator: locator, refusal: .emptyRow,
                    message: "every cell of the row under the header is empty", values: values))
        }
        return .record(SourceRecord(locator: locator, values: values))
    }
}

/// What the sheet's thread (the reader's, for a small sheet) does: parse the sheet into the
/// stream, then say how it ended.
private struct SheetWork: @unchecked Sendable {
    let package: XLSXPackage
    let part: String
    let handler: XLSXSheetHandler

    func run(into stream: XLSXRowStream) {
        handler.emit = stream.send
        do throws(ExtractError) {
            try package.checkSheet(part)
            try package.scanSheet(part, with: handler)
            if handler.stopped { return stream.finish() }
            if let failure = handler.failure {
                throw ExtractError(
                    .cannotRead, file: package.path,
                    """
                    the sheet's XML breaks off or is damaged at line \(failure.line) of \(part): \(failure.message)
                    """)
            }
            handler.flush()
            stream.finish()
        } catch {
            handler.flush(cutOff: true)
            let after = handler.lastRow > 0 ? "after sheet row \(handler.lastRow)" : "before its first row"
            stream.finish(ExtractError(error.code, file: error.file, "\(error.message) (\(after))"))
        }
    }
}
