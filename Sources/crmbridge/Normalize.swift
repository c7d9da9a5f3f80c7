import ArgumentParser
import Pipeline
import Transform

struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Normalize phones, names, addresses, tax IDs or dates as a pipeline run would.",
        discussion: """
            Normalizes each VALUE, or each line of standard input when no VALUE is given, and prints \
            a TSV header line and one row per value, or with --json one JSON object per line. The \
            keys (TSV columns) are a contract; more may follow at the end:
              phone    input valid e164 type extension area reason
              name     input name pinyin honorific kind reason
              address  input province city district adcode detail reason retired
              taxid    input valid value kind reason
              date     input value reason
            type is mobile, landline, service or international; area the landline's city. pinyin \
            is the display form (Shan Tianfang). A name's kind is full, surname_only (张总: kept, \
            with reason surname_only), latin, or missing when refused. A tax ID's kind is uscc or \
            legacy15. An address written with a division name a GB/T 2260 change retired has retired             set (白下区 2013 → 秦淮区; a name split among districts: 江干区 2021 → 上城区|钱塘区, and             the address stops at the city). A date's value is ISO 8601 with the offset of --timezone; a date written day or \
            month first (21/11/2026) is read only with --date-order (a source's date_order) and is \
            otherwise refused as ambiguous. reason is null when \
            the value was accepted, else the reason code a run writes to rejects.reason_code \
            (letters, bad_check_character…). Absent values are null in JSON, empty cells in TSV.
            """)

    @Argument(help: "What to normalize.")
    var kind: NormalizeKind

    @Argument(help: "The values; default: one value per line of standard input.")
    var values: [String] = []

    @Flag(help: "Print one JSON object per value instead of TSV.")
    var json = false

    @Option(help: "Time zone (IANA name) of dates written without an offset, and of the output.")
    var timezone = TimestampParser.defaultTimeZone.identifier

    @Option(help: "How dates that do not start with the year are written: dmy (21/11/2026) or mdy (11/21/2026).")
    var dateOrder: DateOrder?

    func run() throws {
        let normalizer: ValueNormalizer
        do {
            normalizer = try ValueNormalizer(kind: kind, timeZone: timezone, dateOrder: dateOrder)
        } catch {
            printError("crmbridge normalize: --timezone: \(error.description)")
            throw ExitStatus.configError
        }
        if !json { print(normalizer.tsvHeader) }
        let emit = { (value: String) in print(json ? normalizer.json(value) : normalizer.tsv(value)) }
        if values.isEmpty {
            while let line = readLine() { emit(line) }
        } else {
            values.forEach(emit)
        }
    }
}

extension NormalizeKind: ExpressibleByArgument {}
extension DateOrder: ExpressibleByArgument {}
