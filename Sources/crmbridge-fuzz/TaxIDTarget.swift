import Transform

extension FuzzTarget {
    /// normalizeTaxID (and its strict form) on the input as text. A valid code is 18 or 15
    /// characters of its alphabet and normalizes to itself; the strict form accepts no code the
    /// default refuses.
    static let taxID = FuzzTarget(name: "taxid", summary: "normalizeTaxID") { input in
        let raw = text(input)
        let strict = normalizeTaxID(raw, strictOrganizationCode: true)
        guard case .success(let id) = normalizeTaxID(raw) else {
            if case .success = strict { require(false, "\(shown(raw)) is refused, but accepted in strict mode") }
            return
        }
        require(id.value.utf8.count == (id.kind == .uscc ? 18 : 15), "\(shown(raw)) → \(id.value): wrong length for \(id.kind)")
        require(
            id.value.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) },
            "\(shown(raw)) → \(shown(id.value)): not upper-case ASCII")
        switch normalizeTaxID(id.value) {
        case .success(let again):
            require(again == id, "\(shown(raw)) → \(id.value) → \(again.value): not idempotent")
        case .failure(let refusal):
            require(false, "\(shown(raw)) → \(id.value), which is refused: \(refusal)")
        }
        if case .success(let strictID) = strict { require(strictID == id, "strict mode reads \(shown(raw)) otherwise") }
    }
}
