import Foundation
import Testing

/// `crmbridge preview` on the real binary: the outcome it gives known fixture rows
/// (fixtures/expected.json), against no store and against a loaded one, which it leaves as it was.
@Suite(.serialized) struct PreviewCommandTests {
    struct Output: Decodable {
        struct Cell: Decodable {
            var column: String
            var raw: String
            var field: String
            var value: String?
            var detail: String?
            var refused: String?
        }
        struct Record: Decodable {
            var locator: String
            var source_id: String
            var decision: String
            var reason_code: String?
            var why: String
            var customer_key: String?
            var cells: [Cell]
        }
        struct File: Decodable {
            var path: String
            var loaded_by: String?
        }
        struct Source: Decodable {
            var system: String
            var files: [File]
            var records: [Record]
            var counts: [String: Int]
        }
        var store_exists: Bool
        var sources: [Source]

        func record(_ system: String, _ locator: String) throws -> Record {
            let source = try #require(sources.first { $0.system == system }, "no source \(system)")
            return try #require(source.records.first { $0.locator == locator }, "\(system) has no \(locator) in the preview")
        }
    }

    static func preview(_ arguments: [String], store: URL) throws -> Output {
        let result = try CLI.run(["preview", "pipelines/demo.yml", "--store", "sqlite:\(store.path)", "--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
    }

    @Test(
        arguments: [
            // (source, locator, decision, reason code, words of the why)
            ("crm", "line 2", "new", nil, "make a key no customer has"),
            ("crm", "line 6", "update", nil, "the customer an earlier record here creates"),  // KH20190417: line 5's key
            ("crm", "line 13", "update", nil, "links by mobile +8617702426810"),  // line 16 makes that customer
            ("crm", "line 22", "rejected", "malformed", "the record has 1 fields, the header has 18"),
            ("crm", "line 28", "rejected", "no_identifier", "phone placeholder"),
            ("crm", "line 31", "rejected", "duplicate", "repeats KH20261035 of line 8"),
            ("crm", "line 34", "pending", nil, "would wait (no valid tax ID): no customer holds mobile +8618796844884 yet"),
            ("crm", "line 36", "rejected", "empty_row", "every cell of the record is empty"),
            ("leads", "line 2", "update", nil, "links by mobile +8613956513261"),  // crm line 7's customer
            ("leads", "line 4", "pending", nil, "no customer holds mobile +8613794532785 yet"),
            ("wechat", "line 3", "rejected", "filtered", "left out by where: MsgType is 'event'"),
            ("wechat", "line 42", "rejected", "duplicate", "repeats MsgId=24681357902468135701 of line 10"),
            ("callcenter", "line 2", "update", nil, "a contact of the customer holding mobile +8613184289706"),
            ("callcenter", "line 8", "rejected", "no_identifier", "withheld"),
            ("callcenter", "line 17", "rejected", "skipped", "matches skip_rows_matching"),
        ] as [(String, String, String, String?, String)])
    func judgesKnownRowsWithoutAStore(system: String, locator: String, decision: String, reason: String?, why: String) throws {
        let scratch = try CLI.scratch()
        let output = try Self.preview(["--rows", "40"], store: scratch.appendingPathComponent("none.sqlite"))
        #expect(!output.store_exists)
        let record = try output.record(system, locator)
        #expect(record.decision == decision)
        #expect(record.reason_code == reason)
        #expect(record.why.contains(why), "\(record.why)")
        // Nothing is made where the store would be.
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("none.sqlite").path))
    }

    @Test func showsRawAndNormalizedCells() throws {
        let output = try Self.preview(
            ["--source", "crm", "--rows", "3"], store: try CLI.scratch().appendingPathComponent("none.sqlite"))
        #expect(output.sources.map(\.system) == ["crm"])
        let record = try output.record("crm", "line 5")
        let cells = Dictionary(record.cells.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(cells["id"]?.raw == "KH20261021")
        #expect(cells["phone"]?.value == "+8616617182346" && cells["phone"]?.detail == "mobile")
        #expect(cells["tax_id"]?.raw == "91370212771107420d" && cells["tax_id"]?.value == "91370212771107420D")
        #expect(cells["name"]?.raw == "欧阳 娜娜" && cells["name"]?.value == "欧阳娜娜" && cells["name"]?.detail == "Ouyang Nana")
        #expect(cells["updated_at"]?.value == "2026-11-21T18:34:00+08:00")
        #expect(record.customer_key?.count == 64)
        #expect(output.sources[0].counts == ["new": 3])
    }

    @Test func judgesAgainstTheStoreAndLeavesItAsItWas() throws {
        let (scratch, store, run) = try runDemo()
        #expect(run.status == 0, "\(run.stderr)")
        let batch = try JSONDecoder().decode(Summary.self, from: Data(run.stdout.utf8)).batch_id
        // A store closed cleanly: no side files, and none after the preview either.
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        let bytes = try Data(contentsOf: store)

        let output = try Self.preview(["--source", "crm", "--rows", "5"], store: store)
        #expect(output.store_exists)
        #expect(output.sources[0].files.allSatisfy { $0.loaded_by == batch })
        let unchanged = try output.record("crm", "line 2")
        #expect(unchanged.decision == "update" && unchanged.why.hasPrefix("unchanged"))
        // A lead that waited for no one in an empty store links to the customer the store now holds.
        let leads = try Self.preview(["--source", "leads", "--rows", "3"], store: store)
        #expect(try leads.record("leads", "line 2").decision == "update")

        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == before)
        #expect(try Data(contentsOf: store) == bytes)
    }

    @Test func printsAlignedTextForAPerson() throws {
        let result = try CLI.run([
            "preview", "pipelines/demo.yml", "--source", "leads", "--rows", "2",
            "--store", "sqlite:\(try CLI.scratch().appendingPathComponent("none.sqlite").path)",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("  line 2  L-2026-4100  PENDING"))
        #expect(
            lines.contains { $0.hasPrefix("      would wait (no valid tax ID): no customer holds mobile +8613956513261 yet") })
        // Cells in columns: the arrows line up whatever the width of the Chinese in front of them.
        let cells = lines.filter { $0.contains(" → ") }
        #expect(cells.count >= 4)
        #expect(Set(cells.map { $0.components(separatedBy: " → ")[0].displayWidth }).count == 1)
        #expect(lines.contains("leads: 2 records: 2 pending"))
    }

    @Test func refusesASourceThePipelineDoesNotHave() throws {
        let result = try CLI.run(["preview", "pipelines/demo.yml", "--source", "nope"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the pipeline has no source 'nope'; its sources: crm, erp"))
    }
}

extension String {
    /// Terminal columns: Han characters take two.
    var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
    }
}
