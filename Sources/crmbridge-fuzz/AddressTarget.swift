import Transform

extension FuzzTarget {
    /// AddressParser.parse on the input as text, without and with an area hint. The divisions
    /// found agree with the level, the adcode is six digits, and the address written back in
    /// full (official names, then the detail) parses to the same divisions, or further down:
    /// the detail drops separators, so `广东,广,,州` (province only) leaves the detail 广州.
    static let address = FuzzTarget(name: "address", summary: "AddressParser.parse") { input in
        let raw = text(input)
        for hint in [nil, "0755", "350100"] as [String?] {
            guard case .success(let address) = parser.parse(raw, areaHint: hint) else { continue }
            checkAddress(address, from: raw)
        }
    }

    private static let parser = AddressParser()
}

private func checkAddress(_ address: NormalizedAddress, from raw: String) {
    let parts =
        "\(address.province ?? "-") \(address.city ?? "-") \(address.district ?? "-") \(address.adcode ?? "-") \(shown(address.detail)) (\(address.level))"
    let levelAgrees =
        switch address.level {
        case .district: address.district != nil
        case .city: address.city != nil && address.district == nil
        case .province: address.province != nil && address.city == nil && address.district == nil
        case .none: address.city == nil && address.district == nil
        }
    require(levelAgrees, "\(shown(raw)) → \(parts): the level does not match the divisions")
    if let adcode = address.adcode {
        require(
            adcode.utf8.count == 6 && adcode.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 },
            "\(shown(raw)) → \(parts): adcode is not six digits")
    }
    let written = (address.province ?? "") + (address.city ?? "") + (address.district ?? "") + address.detail
    switch AddressParser().parse(written) {
    case .success(let again):
        let same =
            switch address.level {
            case .district: again.district == address.district && again.adcode == address.adcode
            case .city: again.city == address.city
            case .province, .none: true
            }
        require(
            same && (address.province == nil || again.province == address.province)
                && (address.city == nil || again.city == address.city),
            "\(shown(raw)) → \(parts), written \(shown(written)) → \(again.province ?? "-") \(again.city ?? "-") \(again.district ?? "-") \(again.adcode ?? "-"): not idempotent"
        )
    case .failure(let refusal):
        require(false, "\(shown(raw)) → \(parts), written \(shown(written)), is refused: \(refusal)")
    }
}
