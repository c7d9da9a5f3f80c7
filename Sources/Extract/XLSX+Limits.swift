extension XLSXReader {
    /// The bounds a workbook is held to, so that no file makes the reader trap, run on without
    /// end or take memory without bound. A part over its limit fails the file before the sheet's
    /// first row, with an error that names the part and the limit; a cell or row over its limit
    /// rejects that row alone (`too_large`) and the file goes on. README.md lists them ("Limits").
    ///
    /// ```swift
    /// var limits = XLSXReader.Limits()
    /// limits.maxRows = 2_000_000   // a genuine sheet from a writer that knows no Excel limit
    /// let reader = try XLSXReader(path: path, options: .init(limits: limits))
    /// ```
    package struct Limits: Sendable {
        /// Largest sheet or shared-strings part, counted on the bytes actually inflated: a zip
        /// bomb stops at the bound, whatever its headers claim.
        package var maxEntrySize: UInt64 = 2 << 30
        /// Largest of the other parts (the workbook, its relationships, the styles), which are
        /// held whole as they are read: real ones are kilobytes, and a styles part of millions
        /// of `<xf/>` would take more memory than its own size.
        package var maxSmallPartSize: UInt64 = 64 << 20
        /// Largest ratio of inflated to compressed size, for parts above `ratioFloor` (real
        /// sheets stay well below 100:1; a bomb is near 1000:1).
        package var maxRatio: UInt64 = 200
        package var ratioFloor: UInt64 = 1 << 20
        /// Most rows a worksheet may hold: Excel's own limit, 1,048,576. Counted on the row tags
        /// before the first row is read, so that a sheet of millions of tiny rows loads nothing.
        package var maxRows = 1 << 20
        /// Most strings in the shared-strings table and most bytes of their text: the one part
        /// held in memory whole, at 4 bytes a string besides its text (16,777,216 strings, 256 MiB).
        package var maxSharedStrings = 1 << 24
        package var maxSharedStringBytes = 256 << 20
        /// Longest text of one cell, in UTF-8 bytes. Excel holds at most 32,767 characters (under
        /// 128 KiB); a cell of 100 MB cost 22–28 times its size on its way to the store.
        package var maxCellBytes = ReadLimits().cellBytes
        /// Most text in one row. With it, the rows on their way between the reader's threads hold
        /// at most about 10 batches of 1 MiB and one row each.
        package var maxRowBytes = ReadLimits().recordBytes

        package init() {}

        /// The size limit of a part and its name: `maxEntrySize` for the parts read as they
        /// stream, `maxSmallPartSize` for those held whole.
        func maxSize(streamed: Bool) -> (bytes: UInt64, name: String) {
            streamed ? (maxEntrySize, "maxEntrySize") : (maxSmallPartSize, "maxSmallPartSize")
        }

        /// The cell and row bounds of `read`, the others unchanged.
        package func with(_ read: ReadLimits) -> Limits {
            var limits = self
            limits.maxCellBytes = read.cellBytes
            limits.maxRowBytes = read.recordBytes
            return limits
        }

        /// How an error names a limit: the pipeline file's key that raises it (README, Limits).
        static func named(_ name: String) -> String {
            let keys = [
                "maxEntrySize": "xlsx_inflated_bytes", "maxSmallPartSize": "xlsx_small_part_bytes", "maxRatio": "xlsx_ratio",
                "maxRows": "xlsx_rows", "maxSharedStrings": "xlsx_shared_strings",
                "maxSharedStringBytes": "xlsx_shared_string_bytes", "maxCellBytes": "cell_bytes", "maxRowBytes": "record_bytes",
            ]
            return "the pipeline file's limits.\(keys[name] ?? name); README, Limits"
        }
    }
}
