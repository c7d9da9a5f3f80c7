import Foundation
import Testing

@testable import Pipeline

/// A test's inline rows, written in a source's format, read back by that format's reader as
/// the run reads them: every value as written, whatever its commas, quotes, newlines or markup.
@Suite struct InlineRowsTests {
    static let rows: [InlineValue] = [
        .map([("id", .text("1")), ("name", .text("王, \"芳\"")), ("note", .text("第一行\n第二行 ]]> <b>&amp;</b>"))]),
        .map([("id", .text("2")), ("name", .text("李娜"))]),
    ]

    @Test(arguments: ["csv", "xlsx", "jsonl", "json", "xml"])
    func readBackThroughTheSourcesReader(format: String) throws {
        let config = try parse(
            """
            pipeline: inline
            key: {demo: true}
            sources:
              - system: crm
                path: export.\(format)
                format: \(format)
                encoding: gbk
                header_row: 3
                sheet: 客户 Customers
                id: id
                fields: {name: name, notes: note}
            """)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try InlineRows.write(Self.rows, for: config.sources[0], in: folder)
        #expect(source.path == folder.appendingPathComponent("crm.\(format)").path)
        let reader = try makeReader(for: source, path: source.path)
        var read: [[String: String]] = []
        while let next = try reader.next() {
            guard case .record(let record) = next else {
                Issue.record("an inline row was unreadable: \(next)")
                continue
            }
            read.append(Dictionary(uniqueKeysWithValues: zip(reader.columns, record.values)))
        }
        #expect(read.map { $0["id"] } == ["1", "2"])
        #expect(read.map { $0["name"] } == ["王, \"芳\"", "李娜"])
        #expect(read.map { $0["note"] ?? "" } == ["第一行\n第二行 ]]> <b>&amp;</b>", ""])
    }
}
