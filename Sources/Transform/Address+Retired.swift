/// A division name retired by a GB/T 2260 change, as an address used it.
package struct RetiredName: Sendable, Hashable {
    /// The name as written (白下区, or its short form 白下).
    package var name: String
    /// The year of the change that retired it.
    package var year: Int
    /// Official names of the divisions that hold its area today: one when it went whole into a
    /// division (the address is resolved to it), several when it was split (the address stops at
    /// the city).
    package var successors: [String]

    package var isSplit: Bool { successors.count > 1 }
}

extension AddressReader {
    /// The retired name the resolved divisions were read from, or the split name the detail
    /// starts with.
    func retiredName(_ chain: Chain, starts: [Start], detail: Int, end: Int) -> RetiredName? {
        for (level, resolved) in [(Gazetteer.Level.district, chain.district), (.city, chain.city)] where resolved >= 0 {
            guard let entries = gazetteer.retiredBySuccessor[resolved], let start = starts.last(where: { $0.level == level })
            else { continue }
            for index in entries where gazetteer.retired[index].length(in: text, at: start.position) == start.length {
                return note(gazetteer.retired[index], length: start.length, at: start.position)
            }
        }
        guard chain.district < 0, chain.city >= 0, let entries = gazetteer.splitByCity[chain.city] else { return nil }
        var position = detail
        while position < end && Self.isSeparator(text[position]) { position += 1 }
        for index in entries {
            if let length = gazetteer.retired[index].length(in: text, at: position) {
                return note(gazetteer.retired[index], length: length, at: position)
            }
        }
        return nil
    }

    private func note(_ entry: Gazetteer.Retired, length: Int, at position: Int) -> RetiredName {
        RetiredName(
            name: TextFolding.string(text[position..<position + length]), year: entry.year,
            successors: entry.successors.map { gazetteer.divisions[Int($0)].name })
    }
}
