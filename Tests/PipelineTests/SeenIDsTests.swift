import Testing

@testable import Pipeline

@Suite struct SeenIDsTests {
    /// Every id of a file tells whether it came before: in order, out of order, and both.
    @Test(arguments: [
        ["KH1", "KH2", "KH3", "KH4"],
        ["KH1", "KH1"],
        ["KH1", "KH2", "KH3", "KH2", "KH4", "KH1"],
        ["KH9", "KH3", "KH7", "KH3", "KH1", "KH9"],
        ["b", "a", "c", "d", "c", "e", "a"],
        ["客户2", "客户10", "客户1", "客户2"],
    ])
    func tellsEachRepeat(ids: [String]) {
        var seen = SeenIDs()
        var before: Set<String> = []
        for id in ids {
            let first = seen.insert(id)
            #expect(first == before.insert(id).inserted, "\(id) in \(ids)")
        }
    }

    /// A long file in order, then its ids again from the start: each is a repeat.
    @Test func findsRepeatsOfTheInOrderPart() {
        var seen = SeenIDs()
        let ids = (0..<10_000).map { "KH\(100_000 + $0)" }
        var firsts = 0
        for id in ids where seen.insert(id) { firsts += 1 }
        for id in ids where seen.insert(id) { firsts += 1 }
        #expect(firsts == ids.count)
        let new = seen.insert("KH999999")
        #expect(new)
    }
}
