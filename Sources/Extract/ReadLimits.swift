/// How much of one record the readers hold (the xlsx reader's `XLSXReader.Limits` start from these): guards against a broken or hostile export whose
/// "record" is a whole file (an unterminated quote, a line without line ends), so that memory
/// stays bounded whatever the input. A record over a limit is rejected as `too_large`, its
/// content dropped as it streams past; the file goes on. README, Limits, lists them.
package enum ReadLimits {
    /// The bytes of one cell. Customer fields are short; a note runs to a few kilobytes.
    package static let maxCellBytes = 1 << 20
    /// The bytes of one record (a CSV row, a JSON line or array element).
    package static let maxRecordBytes = 4 << 20
    /// The cells of one record. Real exports have tens of columns, a few hundred at most.
    package static let maxCellsPerRecord = 10_000
    /// Empty rows after which a file that is mostly empty rows is abandoned: 5 MB of blank lines
    /// would otherwise be five million rejects and a minute of a night's run.
    package static let maxEmptyRowsPerFile = 10_000
}
