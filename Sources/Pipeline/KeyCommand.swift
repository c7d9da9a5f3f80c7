import Transform

/// The customer key of a phone and a tax ID, or why there is none.
package func customerKey(phone: String, taxID: String, secret: [UInt8]) -> Result<String, KeyProblem> {
    let normalizedPhone: NormalizedPhone
    switch normalizePhone(phone) {
    case .success(let value): normalizedPhone = value
    case .failure(let refusal): return .failure(KeyProblem("the phone '\(phone)' is not valid: \(refusal.rawValue)"))
    }
    guard normalizedPhone.kind == .mobile || normalizedPhone.kind == .international else {
        return .failure(
            KeyProblem("\(normalizedPhone.e164) is a \(normalizedPhone.kind.rawValue) number: only mobiles form a key"))
    }
    switch normalizeTaxID(taxID) {
    case .success(let value) where value.kind == .uscc:
        return .success(CustomerKeyer(secret: secret).key(phoneE164: normalizedPhone.e164, taxID: value.value).hex)
    case .success:
        return .failure(KeyProblem("'\(taxID)' is a legacy 15-digit tax number, not a USCC"))
    case .failure(let refusal):
        return .failure(KeyProblem("the tax ID '\(taxID)' is not a valid USCC: \(refusal.rawValue)"))
    }
}

package struct KeyProblem: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
