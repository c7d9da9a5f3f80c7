/// Why a phone value was refused: the machine-readable reason code of `rejects.reason_code`.
@usableFromInline package enum PhoneRefusal: String, Sendable, Error, CaseIterable {
    /// Nothing but blanks.
    case empty
    /// A value that says "no number": 无, 暂无, -, N/A, null, 0, a withheld caller ID (Restricted, anonymous).
    case placeholder
    /// Fewer digits than the kind of number needs (a 10-digit mobile, a local number without its area code).
    case tooShort = "too_short"
    /// More digits than the kind of number allows (two numbers run together, a digit typed twice).
    case tooLong = "too_long"
    /// Characters that have no place in a phone number: letters (138OO138000), text, stray symbols.
    case letters
    /// A mobile number outside the allocated segments (120…, 111…), or an unknown country code.
    case unknownPrefix = "unknown_prefix"
    /// A landline whose area code is not in use in China.
    case unknownAreaCode = "unknown_area_code"
    /// Excel's scientific display of a long number (1.38001E+10): the digits are lost, only a
    /// source re-export with the column formatted as text can recover them.
    case scientificNotation = "scientific_notation"
}

/// A valid phone number in E.164 form, with what kind of line it is.
///
/// ```swift
/// let phone = try normalizePhone("(0755)8888-6666转801").get()
/// phone.e164             // "+8675588886666"
/// phone.kind             // .landline
/// phone.extensionDigits  // "801"
/// phone.area             // "深圳市"
/// ```
@usableFromInline package struct NormalizedPhone: Sendable, Hashable {
    package enum Kind: String, Sendable {
        /// A Chinese mobile number (+861…): the only kind that forms a customer key.
        case mobile
        /// A Chinese fixed line with its area code.
        case landline
        /// A Chinese 400/800 service number: shared by a whole company.
        case service
        /// A number of another country.
        case international
    }

    /// "+8613800138000", "+8675588886666", "+864008208820", "+14155552671".
    package var e164: String
    package var kind: Kind
    /// The extension after 转, 分机, ext., x or #, or after a landline's last digit group.
    package var extensionDigits: String?
    /// The area code of a landline without its trunk 0: "755", "10".
    package var areaCode: String?
    /// The main city of the area code: "深圳市".
    package var area: String?

    package init(e164: String, kind: Kind, extensionDigits: String? = nil, areaCode: String? = nil, area: String? = nil) {
        self.e164 = e164
        self.kind = kind
        self.extensionDigits = extensionDigits
        self.areaCode = areaCode
        self.area = area
    }
}

/// Normalizes one phone number as people type it into E.164.
///
/// Accepts country codes (`+86`, `0086`, `86`, `(+86)`), a trunk 0 (also before a mobile),
/// spaces, dashes, dots, parentheses, full-width characters, extensions (`转123`, `ext. 123`,
/// `x123`, `-分机123`, `#123`), landlines with their area code (also without the trunk 0 Excel
/// drops, when the area code exists), 400/800 service numbers, Excel's `13800138000.0`, and
/// numbers of other countries written with their country code.
///
/// ```swift
/// normalizePhone("+86 138 0013 8000")   // .success(+8613800138000, mobile)
/// normalizePhone("75588886666")         // .success(+8675588886666, landline, 深圳市)
/// normalizePhone("138OO138000")         // .failure(.letters)
/// ```
@inlinable
package func normalizePhone(_ raw: some StringProtocol) -> Result<NormalizedPhone, PhoneRefusal> {
    if let result = raw.utf8.withContiguousStorageIfAvailable({ PhoneParser.parse($0) }) {
        return result
    }
    return Array(raw.utf8).withUnsafeBufferPointer { PhoneParser.parse($0) }
}

/// Normalizes a field that may hold several numbers (`138…/139…`, `138…;010-…`, `138…，139…`):
/// each one, in order. A field without any number gives one result (`.empty`, `.placeholder`…).
@inlinable
package func normalizePhones(_ raw: some StringProtocol) -> [Result<NormalizedPhone, PhoneRefusal>] {
    if let result = raw.utf8.withContiguousStorageIfAvailable({ PhoneParser.parseSeveral($0) }) {
        return result
    }
    return Array(raw.utf8).withUnsafeBufferPointer { PhoneParser.parseSeveral($0) }
}
