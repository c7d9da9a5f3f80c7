import Extract
import Foundation

/// The formats `crmbridge export` writes.
package enum ExportFormat: String, Sendable, CaseIterable {
    case csv, jsonl, xlsx
}

/// Writes export rows (header first) as UTF-8 CSV or JSON Lines to an `OutputFile`, buffered.
/// Workbooks are `XLSXWriter`'s.
package final class ExportWriter {
    package enum TextFormat: Sendable { case csv, jsonl }

    private let format: TextFormat
    private let output: OutputFile
    private var buffer: [UInt8] = []
    private var header: [String]?

    package init(format: TextFormat, output: OutputFile) {
        self.format = format
        self.output = output
        buffer.reserveCapacity(1 << 16)
    }

    package func write(_ row: [String]) throws(StoreError) {
        switch format {
        case .csv:
            for (index, cell) in row.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                appendCSV(header == nil ? cell : guardFormula(cell))
            }
            buffer.append(UInt8(ascii: "\n"))
            if header == nil { header = row }
        case .jsonl:
            guard let header else { header = row; return }
            buffer.append(UInt8(ascii: "{"))
            for (index, cell) in row.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.append(contentsOf: jsonString(header[index]).utf8)
                buffer.append(UInt8(ascii: ":"))
                buffer.append(contentsOf: cell.isEmpty ? Array("null".utf8) : Array(jsonString(cell).utf8))
            }
            buffer.append(contentsOf: Array("}\n".utf8))
        }
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes what is buffered and commits the file.
    package func finish() throws(StoreError) {
        try flush()
        try output.commit()
    }

    private func flush() throws(StoreError) {
        guard !buffer.isEmpty else { return }
        try output.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Bytes that make a CSV cell need quotes: , " LF CR.
    private static let special: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D]

    private func appendCSV(_ cell: String) {
        let needsQuotes = cell.utf8.contains { (byte: UInt8) -> Bool in Self.special.contains(byte) }
        guard needsQuotes else { buffer.append(contentsOf: cell.utf8); return }
        buffer.append(UInt8(ascii: "\""))
        for byte in cell.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}

/// Neutralizes spreadsheet formula text (docs/design.md): a cell starting with `=`, `+`, `-` or `@`
/// that is not a number gets a leading apostrophe. Numbers and E.164 phones stay exact.
package func guardFormula(_ cell: String) -> String {
    guard let first = cell.utf8.first, [0x3D, 0x2B, 0x2D, 0x40].contains(first) else { return cell }  // = + - @
    let signed = first == 0x2B || first == 0x2D
    let digits = cell.utf8.dropFirst()
    if signed, !digits.isEmpty, digits.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }), Double(cell.dropFirst()) != nil {
        return cell
    }
    return "'" + cell
}
