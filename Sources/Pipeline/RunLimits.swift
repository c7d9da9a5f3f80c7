import Extract
import Transform
import Yams

/// Every guard against a broken or hostile file, as the pipeline file's `limits:` sets them (a
/// source's own `limits:` over the pipeline's): each ends in a clear reject or a failed file, and
/// the batch's other files load. README, Limits, says why each default is what it is.
package struct RunLimits: Sendable {
    package var read = ReadLimits()
    package var xlsx = XLSXReader.Limits()
    /// ICU match steps one search of a `where:` or `skip_rows_matching:` pattern may take.
    package var regexSteps = BoundedRegex.defaultStepLimit
    /// Files one source's glob may match: `../../*/*` once had `check` open a whole machine.
    package var filesPerSource = 10_000

    package init() {}

    /// The xlsx reader's limits, with the cell and row bounds of `read`.
    var workbook: XLSXReader.Limits { xlsx.with(read) }

    /// One key of `limits:`: its schema entry and the limit it sets.
    struct Key: Sendable {
        var spec: KeySpec
        var set: @Sendable (inout RunLimits, UInt64) -> Void
    }

    static let keys: [Key] = [
        size("cell_bytes", ReadLimits().cellBytes, "Text of one cell; a longer cell rejects its row `too_large`.") {
            $0.read.cellBytes = Int(clamping: $1)
        },
        size(
            "record_bytes", ReadLimits().recordBytes,
            "Text of one record (a CSV row, a JSON line or element, an XML record, an xlsx row)."
        ) {
            $0.read.recordBytes = Int(clamping: $1)
        },
        count("cells_per_record", ReadLimits().cellsPerRecord, "Cells of one record.") {
            $0.read.cellsPerRecord = Int(clamping: $1)
        },
        count(
            "empty_rows_per_file", ReadLimits().emptyRowsPerFile,
            "Empty rows after which a file that is mostly empty rows is abandoned, with one reject saying why."
        ) { $0.read.emptyRowsPerFile = Int(clamping: $1) },
        count("nesting_depth", ReadLimits().nestingDepth, "Elements open at once in an XML file.") {
            $0.read.nestingDepth = Int(clamping: $1)
        },
        count("files_per_source", RunLimits().filesPerSource, "Files one source's `path` may match.") {
            $0.filesPerSource = Int(clamping: $1)
        },
        count(
            "regex_steps", Int(BoundedRegex.defaultStepLimit),
            "ICU match steps (each a few milliseconds at most) one search of a `where:` or `skip_rows_matching:` pattern may take; past it the file fails, naming the pattern."
        ) { $0.regexSteps = Int32(clamping: $1) },
        size(
            "xlsx_inflated_bytes", Int(XLSXReader.Limits().maxEntrySize),
            "Inflated size of a worksheet or shared-strings part, counted as it inflates: a zip bomb stops there."
        ) { $0.xlsx.maxEntrySize = $1 },
        size(
            "xlsx_small_part_bytes", Int(XLSXReader.Limits().maxSmallPartSize),
            "Inflated size of the other parts of a workbook (workbook, relationships, styles), held whole as they are read."
        ) { $0.xlsx.maxSmallPartSize = $1 },
        count(
            "xlsx_ratio", Int(XLSXReader.Limits().maxRatio),
            "Inflated to compressed size of a part above 1 MiB: real sheets stay well below 100, a bomb is near 1000."
        ) { $0.xlsx.maxRatio = $1 },
        count(
            "xlsx_rows", XLSXReader.Limits().maxRows,
            "Rows of one worksheet (Excel's own limit), counted before its first row is read."
        ) {
            $0.xlsx.maxRows = Int(clamping: $1)
        },
        count(
            "xlsx_shared_strings", XLSXReader.Limits().maxSharedStrings,
            "Strings of the shared-strings table, the one part held in memory."
        ) {
            $0.xlsx.maxSharedStrings = Int(clamping: $1)
        },
        size("xlsx_shared_string_bytes", XLSXReader.Limits().maxSharedStringBytes, "Text of the shared-strings table.") {
            $0.xlsx.maxSharedStringBytes = Int(clamping: $1)
        },
    ]

    static let schema = ValueType.object(keys.map(\.spec))

    private static func size(
        _ name: String, _ value: Int, _ doc: String, set: @escaping @Sendable (inout RunLimits, UInt64) -> Void
    ) -> Key {
        Key(spec: KeySpec(name, .byteSize, default: ByteSize.text(value), doc), set: set)
    }

    private static func count(
        _ name: String, _ value: Int, _ doc: String, set: @escaping @Sendable (inout RunLimits, UInt64) -> Void
    ) -> Key {
        Key(spec: KeySpec(name, .integerAtLeast(1), default: "\(value)", doc), set: set)
    }
}
