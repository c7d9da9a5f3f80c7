import Extract
import Foundation

/// `crmbridge-bench read FORMAT FILE COLUMN…` (xlsx: `read xlsx FILE [SHEET]`): reads every
/// record of one file with the format's reader and prints records/s and peak RSS. The extract
/// stage alone, as its targets measure it (JSON Lines ≥ 300k rows/s, xlsx ≥ 120k).
func benchReader(_ arguments: [String]) throws {
    guard arguments.count >= 2 else {
        print("usage: crmbridge-bench read csv|jsonl|json|xml FILE [COLUMN…] | xlsx FILE [SHEET]")
        exit(64)
    }
    let (format, path, columns) = (arguments[0], arguments[1], Array(arguments.dropFirst(2)))
    // From before the file is opened: opening reads a workbook's shared strings and checks its sheet.
    let start = Date()
    let reader: any RecordReader =
        switch format {
        case "jsonl", "json": try JSONReader(path: path, columns: columns, encoding: nil)
        case "xml": try XMLReader(path: path, columns: columns, recordElement: "xml")
        case "xlsx": try XLSXReader(path: path, options: .init(sheet: columns.first))
        default: try CSVReader(path: path, options: .init(encoding: nil, delimiter: nil, headerRow: 1))
        }
    var records = 0
    var unreadable = 0
    var bytes = 0
    while let result = try reader.next() {
        switch result {
        case .record(let record):
            records += 1
            for value in record.values { bytes &+= value.utf8.count }
        case .unreadable: unreadable += 1
        }
    }
    let seconds = Date().timeIntervalSince(start)
    let rate = Double(records + unreadable) / seconds
    // CPU time too: on a shared machine it moves less than the wall clock.
    let cpu = cpuSeconds()
    print(
        "read \(format): \(records) records (+\(unreadable) unreadable) in \(String(format: "%.2f", seconds)) s: "
            + "\(Int(rate)) rows/s (\(Int(Double(records + unreadable) / cpu)) rows per CPU second), "
            + "peak RSS \(peakRSSMegabytes()) MB (value bytes \(bytes))")
}

/// User and system CPU time of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// VmHWM of this process, in MB.
func peakRSSMegabytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    else { return 0 }
    return kilobytes / 1024
}
