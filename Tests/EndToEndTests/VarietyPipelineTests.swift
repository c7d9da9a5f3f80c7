import Foundation
import Testing

/// pipelines/variety.yml on fixtures/variety/: exports laid out otherwise than the demo's
/// (compact, Chinese, 12-hour and day- or month-first times; form answers as label arrays in
/// any order; WeChat answers separated every way). Nothing is lost to a layout.
@Suite struct VarietyPipelineTests {
    static func load() throws -> Expected {
        let data = try Data(contentsOf: CLI.root.appendingPathComponent("fixtures/variety/expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    @Test func everyRecordIsReadWhateverItsLayout() throws {
        let expected = try Self.load()
        let scratch = try CLI.scratch()
        let store = scratch.appendingPathComponent("variety.sqlite")
        let check = try CLI.run(["check", "pipelines/variety.yml"])
        #expect(check.status == 0, "\(check.stderr)")
        let result = try CLI.run([
            "run", "pipelines/variety.yml", "--store", "sqlite:\(store.path)",
            "--as-of", expected.as_of, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))

        // Nothing lost: every record merged or pending, none rejected for its layout, every
        // updated_at read.
        #expect(summary.overall.read == expected.counts.read)
        #expect(summary.overall.merged == expected.counts.merged)
        #expect(summary.overall.pending == expected.counts.pending)
        #expect(summary.overall.rejected == 0)
        #expect(summary.overall.rejected_by_reason ?? [:] == [:])
        #expect(summary.rows_without_updated_at == 0)
        #expect(summary.overall.refused_dates ?? [:] == [:])
        for (file, want) in expected.files {
            let got = try #require(summary.by_system[want.system], "no counts for \(file)")
            #expect(
                got.read == want.counts.read && got.merged == want.counts.merged && got.pending == want.counts.pending,
                "\(file): read \(got.read), merged \(got.merged), pending \(got.pending)")
        }

        // Each record: its state, how it linked, and its update time as the generator wrote it.
        let xref = parseCSV(try CLI.export("xref", store: store, to: scratch))
        let bySource = Dictionary(
            xref.map { ("\($0["source_system"]!)/\($0["source_id"]!)", $0) }, uniquingKeysWith: { a, _ in a })
        for record in expected.records {
            let place = "\(record.file) line \(record.line)"
            let row = try #require(bySource["\(record.system)/\(record.source_id ?? "")"], "\(place): no xref row")
            #expect(row["state"] == record.state, "\(place)")
            #expect(row["link"] == (record.via ?? "unmatched"), "\(place)")
            #expect(row["updated_at"] == record.updated_at, "\(place): updated_at \(row["updated_at"] ?? "")")
        }

        // The values each form meant, on the master of every customer that only it describes.
        let master = parseCSV(try CLI.export("master", store: store, to: scratch))
        let masterByKey = Dictionary(master.map { ($0["customer_key"]!, $0) }, uniquingKeysWith: { a, _ in a })
        let recordsOf = Dictionary(grouping: expected.records, by: { $0.customer ?? "" })
        var checked = 0
        for record in expected.records where recordsOf[record.customer ?? ""]?.count == 1 {
            guard let values = record.values, let key = bySource["\(record.system)/\(record.source_id ?? "")"]?["customer_key"],
                let customer = masterByKey[key]
            else { continue }
            for (field, value) in values {
                #expect(customer[field] == value, "\(record.file) line \(record.line): \(field) \(customer[field] ?? "nil")")
            }
            checked += 1
        }
        #expect(checked >= 30)
    }
}
