import Testing

@testable import Load

@Suite struct PackedTextsTests {
    @Test(
        arguments: [
            [],
            [nil],
            ["", nil, ""],
            ["青岛合力医疗器械有限公司", nil, "+8613800138000", String(repeating: "长", count: 70_000)],
        ] as [[String?]])
    func givesBackEveryValueInOrder(values: [String?]) {
        let packed = PackedTexts(values)
        #expect(packed.count == values.count)
        #expect(packed.strings == values)
    }

    /// Values appended one at a time (a customer's columns as the pending pass reads them) pack
    /// as the same values given at once.
    @Test(arguments: [[], [nil, ""], ["张强", nil, String(repeating: "长", count: 70_000), "+8613800138000"]] as [[String?]])
    func appendedValuesAreTheValuesGivenAtOnce(values: [String?]) {
        var packed = PackedTexts(capacity: 8)
        for value in values {
            guard var value else {
                packed.append(nil)
                continue
            }
            value.withUTF8 { packed.append(UnsafeRawBufferPointer($0)) }
        }
        #expect(packed.count == values.count)
        #expect(packed.strings == values)
    }

    /// A customer's values bound from the buffer read back as they were, NULL for nil and an
    /// empty text for an empty value.
    @Test func bindsEachValueAsText() throws {
        let store = try temporaryStore()
        let values: [String?] = ["张强", nil, "", "91440300MA5FXT4K8N"]
        let read = try store.queue.write { db -> [String?] in
            var statement = try FastStatement(db, sql: "SELECT ?, ?, ?, ?, typeof(?2)")
            statement.reset()
            statement.bind(PackedTexts(values))
            #expect(try statement.step())
            defer { statement.resetReading() }
            #expect(statement.text(4) == "null")
            return (0..<4).map { statement.isNull($0) ? nil : statement.text($0) }
        }
        #expect(read == values)
    }
}
