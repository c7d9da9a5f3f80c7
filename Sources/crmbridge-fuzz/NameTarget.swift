import Transform

extension FuzzTarget {
    /// normalizeName on the input as text. A full or Latin name, cleaned, cleans to itself, with
    /// the same pinyin and match key. (A surname-only result, 张 of 张总, is no name to re-read.)
    static let name = FuzzTarget(name: "name", summary: "normalizeName") { input in
        let raw = text(input)
        guard case .success(let name) = normalizeName(raw) else { return }
        require(!name.name.isEmpty, "\(shown(raw)) → an empty name")
        guard name.kind == .full || name.kind == .latin else { return }
        switch normalizeName(name.name) {
        case .success(let again):
            require(
                again.name == name.name && again.kind == name.kind && again.pinyin == name.pinyin
                    && again.matchKey == name.matchKey,
                "\(shown(raw)) → \(shown(name.name)) (\(name.kind), \(name.pinyin)) → \(shown(again.name)) (\(again.kind), \(again.pinyin)): not idempotent"
            )
        case .failure(let refusal):
            require(false, "\(shown(raw)) → \(shown(name.name)) (\(name.kind)), which is refused: \(refusal)")
        }
    }
}
