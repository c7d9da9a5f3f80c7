import Transform

extension FuzzTarget {
    /// normalizePhone and normalizePhones on the input as text. A number comes out in E.164
    /// (`+`, then 2 to 15 digits), and its E.164 form normalizes to itself, of the same kind.
    static let phone = FuzzTarget(name: "phone", summary: "normalizePhone, normalizePhones") { input in
        let raw = text(input)
        if case .success(let phone) = normalizePhone(raw) { checkPhone(phone, from: raw) }
        let several = normalizePhones(raw)
        require(!several.isEmpty, "normalizePhones(\(shown(raw))) gave no result")
        for case .success(let phone) in several { checkPhone(phone, from: raw) }
    }
}

private func checkPhone(_ phone: NormalizedPhone, from raw: String) {
    let digits = phone.e164.utf8.dropFirst()
    require(
        phone.e164.utf8.first == UInt8(ascii: "+") && (2...15).contains(digits.count)
            && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 },
        "\(shown(raw)) → \(shown(phone.e164)): not E.164")
    switch normalizePhone(phone.e164) {
    case .success(let again):
        require(
            again.e164 == phone.e164 && again.kind == phone.kind,
            "\(shown(raw)) → \(phone.e164) (\(phone.kind)) → \(again.e164) (\(again.kind)): not idempotent")
    case .failure(let refusal):
        require(false, "\(shown(raw)) → \(phone.e164) (\(phone.kind)), which is refused: \(refusal)")
    }
}
