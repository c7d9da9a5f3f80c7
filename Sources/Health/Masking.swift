/// A phone number as lists and messages show it: `138****8000`, enough for the rep who knows
/// the customer to recognise it, not enough to call a stranger (lists are forwarded in chats).
package func maskedPhone(_ e164: String) -> String {
    var digits = Substring(e164)
    if digits.hasPrefix("+86") { digits = digits.dropFirst(3) } else if digits.hasPrefix("+") { digits = digits.dropFirst() }
    guard digits.count > 7 else { return digits.isEmpty ? "" : "****" }
    return digits.prefix(3) + String(repeating: "*", count: digits.count - 7) + digits.suffix(4)
}

/// A person's name in a message sent to a group: the surname, the rest starred (`王*`, `欧阳**`
/// reads as `欧***`): the owner knows whom it means.
package func maskedName(_ name: String) -> String {
    guard let first = name.first else { return "" }
    return String(first) + String(repeating: "*", count: max(1, name.count - 1))
}
