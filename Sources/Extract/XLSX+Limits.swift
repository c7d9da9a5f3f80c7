extension XLSXReader {
    /// The bounds a workbook is held to, so that no file makes the reader trap, run on without
    /// end or take memory without bound. A part over its limit fails the file before the sheet's
    /// first row, with an error that names the part and the limit. README.md lists them ("Limits").
    ///
    /// ```swift
    /// var limits = XLSXReader.Limits()
    /// limits.maxRows = 2_000_000   // a genuine sheet from a writer that knows no Excel limit
    /// let reader = try XLSXReader(path: path, options: .init(limits: limits))
    /// ```
    public struct Limits: Sendable {
        /// Largest part, counted on the bytes actually inflated: a zip bomb stops at the bound,
        /// whatever its headers claim.
        public var maxEntrySize: UInt64 = 2 << 30
        /// Largest ratio of inflated to compressed size, for parts above `ratioFloor` (real
        /// sheets stay well below 100:1; a bomb is near 1000:1).
        public var maxRatio: UInt64 = 200
        public var ratioFloor: UInt64 = 1 << 20
        /// Most rows a worksheet may hold: Excel's own limit, 1,048,576. Counted on the row tags
        /// before the first row is read, so that a sheet of millions of tiny rows loads nothing.
        public var maxRows = 1 << 20

        public init() {}

        /// How an error names a limit, and where to read about it.
        static func named(_ name: String) -> String { "XLSXReader.Limits.\(name); README, Limits" }
    }
}
