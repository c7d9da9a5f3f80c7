import Crypto
import Foundation
import Load

/// `crmbridge store copy FROM TO`: a whole store into another (SQLite to PostgreSQL, or back),
/// verified by the row count of every table and a checksum of every export.
package enum StoreCopy {
    /// What was copied: rows per table, and the SHA-256 of each export, the same on both sides.
    package struct Report: Sendable {
        package var rows: [(table: String, count: Int)]
        package var exports: [(table: String, sha256: String)]
    }

    /// Why a copy stopped; the target was left as it was unless `verified` failed after the commit.
    package struct CopyError: Error, CustomStringConvertible {
        package var message: String
        /// A configuration mistake (a bad URL), not a failure of the stores.
        package var isUsage = false
        package var description: String { message }
    }

    /// Copies `from` into `to`. A target that holds batches is refused unless `force`, which
    /// replaces what it holds.
    package static func copy(from: StoreLocation, to: StoreLocation, force: Bool) throws -> Report {
        guard from != to else {
            throw CopyError(message: "the source and the target are the same store (\(from))", isUsage: true)
        }
        let source = try openStore(from, access: .read)
        let target = try openStore(to, access: .write)
        guard let sourceTables = source as? any StoreTables, let targetTables = target as? any StoreTables else {
            throw CopyError(message: "this build cannot copy between \(from) and \(to)")
        }
        let held = try targetTables.rowCounts()[.batches] ?? 0
        guard held == 0 || force else {
            throw CopyError(
                message: """
                    the target \(to) already holds \(held) batch(es): copy into an empty store, or replace what it holds \
                    with --force
                    """)
        }
        try targetTables.replaceTables(from: sourceTables)
        let (expected, copied) = (try sourceTables.rowCounts(), try targetTables.rowCounts())
        for table in StoreTable.allCases where expected[table] != copied[table] {
            throw CopyError(
                message: """
                    the copy of \(table.rawValue) holds \(copied[table] ?? 0) rows, the source \(expected[table] ?? 0): \
                    the target \(to) is not a faithful copy; run the copy again with --force
                    """)
        }
        var exports: [(String, String)] = []
        for table in ExportTable.allCases {
            let (a, b) = (try checksum(source, table), try checksum(target, table))
            guard a == b else {
                throw CopyError(
                    message: """
                        the \(table.rawValue) export of the copy differs from the source's: the target \(to) is not a \
                        faithful copy; run the copy again with --force
                        """)
            }
            exports.append((table.rawValue, a))
        }
        return Report(rows: StoreTable.allCases.map { ($0.rawValue, copied[$0] ?? 0) }, exports: exports)
    }

    /// SHA-256 over an export's rows (cells NUL-separated, rows newline-ended).
    private static func checksum(_ store: any MasterStore, _ table: ExportTable) throws -> String {
        var hash = SHA256()
        try store.export(table) { row in
            hash.update(data: Data((row.joined(separator: "\u{0}") + "\n").utf8))
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
