import Extract

/// The reader for one file of a source, by the source's `format`; the runner and
/// `crmbridge check` both open files through it.
func makeReader(for source: SourceConfig, path: String) throws(ExtractError) -> any RecordReader {
    switch source.format {
    case .jsonl, .json:
        // JSON has no header: the reader extracts the paths the source maps, in this order,
        // and the field mapping resolves against them like against a header.
        return try JSONReader(path: path, columns: source.mappedPaths, encoding: source.encoding, limits: source.limits.read)
    case .xml:
        // Like JSON: the columns are the element paths the source maps.
        return try XMLReader(
            path: path, columns: source.mappedPaths, recordElement: source.recordElement, limits: source.limits.read)
    case .xlsx:
        return try XLSXReader(
            path: path, options: .init(sheet: source.sheet, headerRow: source.headerRow, limits: source.limits.workbook))
    case .csv:
        return try CSVReader(
            path: path,
            options: .init(
                encoding: source.encoding, delimiter: source.delimiter,
                headerRow: source.headerRow, limits: source.limits.read))
    }
}

extension SourceConfig {
    /// The distinct columns the source reads: its id, its `updated_at`, every field's, then the
    /// row rules'.
    var mappedPaths: [String] {
        var seen = Set<String>()
        let columns =
            [id] + (updatedAt.map { [$0] } ?? []) + fields.map(\.column) + contactFields.map(\.column)
            + rules.columns
        return columns.filter { seen.insert($0).inserted }
    }
}
