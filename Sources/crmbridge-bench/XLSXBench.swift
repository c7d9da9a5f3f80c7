import Extract
import Foundation

/// `crmbridge-bench xlsx FILE [SHEET]`: reads every record of a worksheet and prints rows/s and
/// peak RSS (make bench-xlsx). Reading only: no normalizing, no store.
func benchXLSX(path: String, sheet: String?) -> Int32 {
    let start = Date()
    var records = 0
    var unreadable = 0
    var bytes = 0
    do {
        let reader = try XLSXReader(path: path, options: .init(sheet: sheet))
        while let result = try reader.next() {
            switch result {
            case .record(let record):
                records += 1
                for value in record.values { bytes &+= value.utf8.count }
            case .unreadable: unreadable += 1
            }
        }
    } catch {
        print("crmbridge-bench: \(error)")
        return 1
    }
    let seconds = Date().timeIntervalSince(start)
    let rows = records + unreadable
    print("xlsx: \(rows) rows (\(unreadable) unreadable) in \(String(format: "%.2f", seconds)) s: "
          + "\(Int(Double(rows) / seconds)) rows/s, peak RSS \(peakRSSMiB()) MiB, \(bytes) value bytes")
    return 0
}

/// VmHWM of /proc/self/status, in MiB.
private func peakRSSMiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kib = Int(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
    return kib / 1024
}
