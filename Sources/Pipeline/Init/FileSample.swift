import Extract
import Foundation
import Transform

/// One column of a sampled file: its name as a pipeline's `fields:` names it, and its values in
/// the first records.
package struct SampledColumn: Sendable {
    package var name: String
    /// One value per sampled record ("" where the record has none).
    package var values: [String]
    /// A JSON answer chosen by its label (`answers[label=手机].value`): columns of one family
    /// differ by label alone and join into one path per field.
    package var selector: JSONLeaf.Selector?
    /// A labelled answer out of a text column (`Content#手机`): its column and label.
    package var answer: LabelledAnswer?

    package struct LabelledAnswer: Sendable, Equatable {
        package var base: String
        package var label: String
    }
}

/// What `crmbridge init` learned by reading the start of one file: how to read it (format,
/// encoding, delimiter, sheet, header row, record element) and its columns' first values.
package struct FileSample: Sendable {
    package var path: String
    package var format: SourceConfig.Format
    /// How the format was told (`zip archive with xl/ parts`).
    package var formatWhy: String
    package var encoding: TextEncoding?
    package var encodingWhy: String?
    package var delimiter: UInt8?
    /// xlsx: the sheet chosen, all the sheets, and why that one.
    package var sheet: String?
    package var sheets: [String] = []
    package var sheetWhy: String?
    package var headerRow = 1
    /// Why the header is not in the first row, when it is not.
    package var headerWhy: String?
    package var recordElement: String?
    package var columns: [SampledColumn] = []
    /// Readable records sampled.
    package var records = 0
    /// Unreadable records among the first ones (broken lines, empty rows).
    package var unreadable = 0
    /// Totals rows (`合计`) found anywhere in the file: locator and first cell.
    package var totalsRows: [(locator: String, cell: String)] = []
}

/// Why `crmbridge init` cannot propose a source for a file.
package struct InitError: Error, Sendable, CustomStringConvertible {
    package var file: String
    package var message: String

    package init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    package var description: String { "\(file): \(message)" }
}

extension FileSample {
    /// How many records are sampled by default: enough to judge a column, few enough to read
    /// in a blink and to show in the comments.
    package static let defaultRecords = 20
    /// How far a file is scanned for totals rows.
    static let totalsScanLimit = 200_000
    /// Header candidates: title rows above the header rarely run past a few.
    static let headerSearchRows = 10

    /// Reads the start of `path` (and scans it for totals rows).
    package static func read(_ path: String, records: Int = defaultRecords) throws(InitError) -> FileSample {
        let format: SniffedFormat
        do {
            try checkSourceFile(path)
            format = try sniffFormat(path: path)
        } catch {
            throw InitError(file: path, error.message)
        }
        var sample: FileSample
        do {
            switch format {
            case .csv: sample = try readCSV(path, records: records)
            case .xlsx: sample = try readXLSX(path, records: records)
            case .json, .jsonl: sample = try readJSON(path, records: records)
            case .xml: sample = try readXML(path, records: records)
            }
        } catch {
            throw InitError(file: path, error.message)
        }
        sample.addLabelledAnswers()
        return sample
    }

    // MARK: - CSV

    private static func readCSV(_ path: String, records limit: Int) throws(ExtractError) -> FileSample {
        // The header is the row that reads most like one: dictionary names, labels rather than values.
        var best: (row: Int, score: Int)?
        for row in 1...headerSearchRows {
            guard let reader = try? CSVReader(path: path, options: .init(headerRow: row)) else { break }
            let score = headerScore(reader.columns)
            if score > (best?.score ?? .min) { best = (row, score) }
        }
        let headerRow = best?.row ?? 1
        let reader = try CSVReader(path: path, options: .init(headerRow: headerRow))
        var sample = FileSample(path: path, format: .csv, formatWhy: "delimited text")
        sample.headerRow = headerRow
        if headerRow > 1 { sample.headerWhy = "record \(headerRow) reads as the header; the records above it are titles" }
        sample.encoding = reader.encoding
        sample.encodingWhy = encodingWhy(reader.encoding, path: path)
        sample.delimiter = reader.delimiter
        try sample.collect(from: reader, columns: reader.columns, limit: limit)
        return sample
    }

    private static func encodingWhy(_ encoding: TextEncoding, path: String) -> String {
        let handle = try? FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let bytes = [UInt8]((try? handle?.read(upToCount: 3)) ?? Data())
        switch encoding {
        case .utf8: return bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? "UTF-8 byte order mark" : "the text is valid UTF-8"
        case .utf16le, .utf16be: return "UTF-16 byte order mark"
        case .gb18030, .gbk: return "not UTF-8: read as GB18030, as Chinese Excel and WPS write"
        }
    }

    // MARK: - xlsx

    private static func readXLSX(_ path: String, records limit: Int) throws(ExtractError) -> FileSample {
        let sheets = try XLSXReader.sheetNames(path: path)
        var candidates: [(sheet: String, headerRow: Int, score: Int, dataRows: Int)] = []
        for sheet in sheets.prefix(20) {
            guard let rows = try? firstRows(path, sheet: sheet, count: headerSearchRows + 20), !rows.isEmpty else { continue }
            var best: (index: Int, score: Int)?
            for (index, row) in rows.prefix(headerSearchRows).enumerated() {
                let score = headerScore(row.values)
                if score > (best?.score ?? .min) { best = (index, score) }
            }
            guard let best else { continue }
            let dataRows = rows[(best.index + 1)...].filter { $0.values.filter { !$0.isBlank }.count >= 2 }.count
            candidates.append((sheet, rows[best.index].number, best.score, dataRows))
        }
        // The data sheet has a header that reads like one and rows under it; an export's
        // information sheet (导出时间, 导出人) has neither.
        guard let chosen = candidates.max(by: { ($0.score + min($0.dataRows, 20)) < ($1.score + min($1.dataRows, 20)) }) else {
            throw ExtractError(.noHeader, file: path, "no worksheet holds a header row and rows under it")
        }
        let reader = try XLSXReader(path: path, options: .init(sheet: chosen.sheet, headerRow: chosen.headerRow))
        var sample = FileSample(path: path, format: .xlsx, formatWhy: "a zip archive with Excel's xl/ parts")
        sample.sheets = sheets
        sample.sheet = chosen.sheet
        if sheets.count > 1 {
            let others = sheets.filter { $0 != chosen.sheet }.map { "\"\($0)\"" }.joined(separator: ", ")
            sample.sheetWhy = "the sheet with a header and rows under it (not \(others))"
        }
        sample.headerRow = chosen.headerRow
        if chosen.headerRow > 1 { sample.headerWhy = "row \(chosen.headerRow) reads as the header; the rows above it are titles" }
        try sample.collect(from: reader, columns: reader.columns, limit: limit)
        return sample
    }

    /// The first rows of a sheet at their own widths: the first row that holds anything, and
    /// those under it.
    private static func firstRows(_ path: String, sheet: String, count: Int) throws(ExtractError)
        -> [(number: Int, values: [String])]
    {
        for headerRow in 1...headerSearchRows {
            let reader: XLSXReader
            do {
                reader = try XLSXReader(path: path, options: .init(sheet: sheet, headerRow: headerRow))
            } catch  where error.code == .noHeader {
                continue
            }
            var rows = [(number: headerRow, values: reader.columns)]
            while rows.count < count, let row = try reader.nextRawRow() { rows.append(row) }
            return rows
        }
        return []
    }

    // MARK: - JSON

    private static func readJSON(_ path: String, records limit: Int) throws(ExtractError) -> FileSample {
        let json = try JSONReader.sample(path: path, records: limit)
        var sample = FileSample(
            path: path, format: json.layout == .array ? .json : .jsonl,
            formatWhy: json.layout == .array ? "a JSON array of objects" : "one JSON object per line")
        sample.encoding = json.encoding
        sample.encodingWhy = encodingWhy(json.encoding, path: path)
        var order: [String] = []
        var selectors: [String: JSONLeaf.Selector] = [:]
        for record in json.records {
            for leaf in record where selectors[leaf.path] == nil && !order.contains(leaf.path) {
                order.append(leaf.path)
                if let selector = leaf.selector { selectors[leaf.path] = selector }
            }
        }
        sample.columns = order.prefix(300).map { path in
            SampledColumn(
                name: path, values: json.records.map { record in record.first { $0.path == path }?.value ?? "" },
                selector: selectors[path])
        }
        sample.records = json.records.count
        sample.unreadable = json.unreadable
        return sample
    }

    // MARK: - XML

    private static func readXML(_ path: String, records limit: Int) throws(ExtractError) -> FileSample {
        guard let structure = try XMLReader.structure(path: path), !structure.paths.isEmpty else {
            throw ExtractError(
                .unsupported, file: path, "no element repeats with child elements that hold text: no records to map")
        }
        let reader = try XMLReader(path: path, columns: structure.paths, recordElement: structure.recordElement)
        var sample = FileSample(
            path: path, format: .xml,
            formatWhy: "XML, one record per <\(structure.recordElement)> element")
        sample.recordElement = structure.recordElement
        try sample.collect(from: reader, columns: structure.paths, limit: limit)
        return sample
    }

    // MARK: - Records

    /// The first `limit` readable records' values, then (CSV and xlsx) a scan of the rest for totals rows.
    private mutating func collect(from reader: any RecordReader, columns names: [String], limit: Int) throws(ExtractError) {
        var values = [[String]](repeating: [], count: names.count)
        var scanned = 0
        while let next = try reader.next() {
            scanned += 1
            switch next {
            case .record(let record):
                if let cell = Self.totalsCell(record.values) { totalsRows.append((record.locator.description, cell)) }
                if records < limit && Self.totalsCell(record.values) == nil {
                    records += 1
                    for index in names.indices { values[index].append(index < record.values.count ? record.values[index] : "") }
                }
            case .unreadable(let problem):
                if let cell = Self.totalsCell(problem.values) { totalsRows.append((problem.locator.description, cell)) }
                if records < limit { unreadable += 1 }
            }
            let scanning = format == .csv || format == .xlsx
            if records >= limit && (!scanning || scanned >= Self.totalsScanLimit) { break }
        }
        columns = zip(names, values).map { SampledColumn(name: $0, values: $1) }
    }

    /// The first cell of a totals row: one that starts with 合计 (or 总计, 小计, Total…); nil for another row.
    static func totalsCell(_ values: [String]) -> String? {
        guard let first = values.first(where: { !$0.isBlank })?.trimmingBlanks() else { return nil }
        let lower = first.lowercased()
        let isTotals =
            totalsWords.contains { first.hasPrefix($0) }
            || ["total", "subtotal", "grand total"].contains {
                lower == $0 || lower.hasPrefix($0 + ":") || lower.hasPrefix($0 + " ")
            }
        return isTotals ? first : nil
    }

    static let totalsWords = ["合计", "总计", "小计", "共计"]

    // MARK: - Header rows

    /// How much a row reads like a header: names the dictionary knows, labels rather than values
    /// (a phone, a date or a number is a data row's), and more than one cell (a title row has one).
    static func headerScore(_ cells: [String]) -> Int {
        let filled = cells.map { $0.trimmingBlanks() }.filter { !$0.isEmpty }
        guard filled.count >= 2 else { return filled.count - 10 }
        var score = 0
        for cell in filled {
            if HeaderDictionary.lookup(cell) != nil { score += 3 }
            score += looksLikeValue(cell) ? -3 : 1
        }
        if Set(filled).count < filled.count { score -= 2 }
        return score
    }

    private static let timestamps = TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    static func looksLikeValue(_ cell: String) -> Bool {
        if cell.count > 40 { return true }
        if Double(cell) != nil { return true }
        if case .success = normalizePhone(cell) { return true }
        if case .success = normalizeTaxID(cell) { return true }
        if case .success = timestamps.parse(cell) { return true }
        return false
    }

    // MARK: - Labelled answers

    /// A text column whose values are form answers (`姓名：张伟\n手机：…`) gets one column per
    /// label seen, named as a pipeline reads it: `Content#手机`.
    mutating func addLabelledAnswers() {
        var added: [SampledColumn] = []
        for column in columns where column.selector == nil && column.answer == nil {
            let answers = column.values.map { labelledAnswers(in: $0) }
            let texts = column.values.filter { !$0.isBlank }.count
            let labelled = answers.filter { $0.count >= 2 }.count
            guard labelled > 0, labelled * 10 >= texts * 3 else { continue }
            var labels: [String] = []
            for list in answers {
                for (label, _) in list where !labels.contains(label) && !label.contains(where: { "|#".contains($0) }) {
                    labels.append(label)
                }
            }
            for label in labels.prefix(40) {
                let values = answers.map { list in list.first { $0.label == label && !$0.value.isBlank }?.value ?? "" }
                added.append(
                    SampledColumn(
                        name: "\(column.name)#\(label)", values: values,
                        answer: .init(base: column.name, label: label)))
            }
        }
        columns += added
    }
}
