/// Why a tax ID was refused: the machine-readable reason code of `rejects.reason_code`.
@usableFromInline package enum TaxIDRefusal: String, Sendable, Error, CaseIterable {
    /// Nothing but blanks.
    case empty
    /// A value that says "no tax ID": 无, 暂无, -, N/A, 0.
    case placeholder
    /// Neither 18 characters (a USCC) nor 15 (a legacy tax registration number) once folded.
    case badLength = "bad_length"
    /// A character outside the code's alphabet: I, O, S, V, Z, a letter in the division code, text.
    case badCharacter = "bad_character"
    /// The first two characters are no registration authority and category of GB 32100 (`91`, `92`, `12`…).
    case badRegistrationCode = "bad_registration_code"
    /// The organization code (GB 11714) fails its check digit: legacy numbers always, USCCs in
    /// strict mode only.
    case badOrganizationCheck = "bad_organization_check"
    /// The 18th character is not the GB 32100 check character of the first 17.
    case badCheckCharacter = "bad_check_character"
}

/// A valid unified social credit code (GB 32100-2015), or a legacy 15-character tax number.
///
/// ```swift
/// let id = try normalizeTaxID("9144 0300 ma5f xt4k 8n").get()
/// id.value         // "91440300MA5FXT4K8N"
/// id.kind          // .uscc
/// id.divisionCode  // "440300"
/// ```
@usableFromInline package struct TaxID: Sendable, Hashable {
    package enum Kind: String, Sendable {
        /// The 18-character unified social credit code.
        case uscc
        /// A tax registration number from before 2015: 6-digit division code + 9-character organization code.
        case legacy15
    }

    /// The code in canonical form: upper case, no blanks or hyphens, ASCII.
    package var value: String
    package var kind: Kind
    /// The administrative division (GB/T 2260) of the registering authority: "440300".
    package var divisionCode: String?

    package init(value: String, kind: Kind, divisionCode: String? = nil) {
        self.value = value
        self.kind = kind
        self.divisionCode = divisionCode
    }
}

/// Normalizes and validates a unified social credit code (or a legacy 15-character tax number).
///
/// Folds case and full-width characters and drops blanks and hyphens, then checks the alphabet
/// (no I, O, S, V, Z), the registration authority and category (GB 32100 table), and the check
/// character (ISO 7064 MOD 31-3). The organization code's own GB 11714 check digit is not
/// enforced on USCCs: see `normalizeTaxID(_:strictOrganizationCode:)`.
///
/// ```swift
/// normalizeTaxID("91440300MA5FXT4K8N")   // .success(uscc)
/// normalizeTaxID("91440300MA5FXT4K8Q")   // .failure(.badCheckCharacter)
/// normalizeTaxID("无")                   // .failure(.placeholder)
/// ```
@inlinable
package func normalizeTaxID(_ raw: some StringProtocol) -> Result<TaxID, TaxIDRefusal> {
    normalizeTaxID(raw, strictOrganizationCode: false)
}

/// `normalizeTaxID(_:)`, optionally also refusing USCCs whose organization code (characters 9–17)
/// fails the GB 11714 check digit.
///
/// Off by default, as in the common validators: the USCC's own check character already detects
/// every single wrong character and every swap of neighbours, so a code that passes it but fails
/// the organization check is a code issued that way, not a typo.
@inlinable
package func normalizeTaxID(_ raw: some StringProtocol, strictOrganizationCode: Bool) -> Result<TaxID, TaxIDRefusal> {
    let original = raw as? String
    if let result = raw.utf8.withContiguousStorageIfAvailable({
        TaxIDParser.parse($0, original: original, strict: strictOrganizationCode)
    }) {
        return result
    }
    return Array(raw.utf8).withUnsafeBufferPointer {
        TaxIDParser.parse($0, original: original, strict: strictOrganizationCode)
    }
}

@usableFromInline
enum TaxIDParser {
    /// GB 32100's alphabet: the value of each ASCII byte, or 0xFF (I, O, S, V, Z and the rest).
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 128)
        for (value, byte) in "0123456789ABCDEFGHJKLMNPQRTUWXY".utf8.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// 3^i mod 31, i = 0…16.
    static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let organizationWeights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Registration authority → categories (GB 32100-2015 and the codes added since: A, N).
    /// 1 机构编制: 1 机关, 2 事业单位, 3 编办直管群众团体, 9 其他 · 2 外交: 1, 9 · 3 司法行政: 1–5, 9 ·
    /// 4 文化: 1, 9 · 5 民政: 1 社会团体, 2 民办非企业单位, 3 基金会, 9 · 6 旅游: 1, 2, 9 · 7 宗教: 1, 2, 9 ·
    /// 8 工会: 1, 9 · 9 工商: 1 企业, 2 个体工商户, 3 农民专业合作社 · A 中央军委改革和编制办公室: 1, 9 ·
    /// N 农业: 1–3, 9 · Y 其他: 1.
    static func isRegistrationCode(_ authority: UInt8, _ category: UInt8) -> Bool {
        switch authority {
        case 0x31, 0x35: category == 0x31 || category == 0x32 || category == 0x33 || category == 0x39
        case 0x32, 0x34, 0x38, 0x41: category == 0x31 || category == 0x39
        case 0x33: (0x31...0x35).contains(category) || category == 0x39
        case 0x36, 0x37: category == 0x31 || category == 0x32 || category == 0x39
        case 0x39: (0x31...0x33).contains(category)
        case 0x4E: (0x31...0x33).contains(category) || category == 0x39
        case 0x59: category == 0x31
        default: false
        }
    }

    @usableFromInline
    static func parse(_ text: UnsafeBufferPointer<UInt8>, original: String?, strict: Bool) -> Result<TaxID, TaxIDRefusal> {
        var code: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 24 folded ASCII characters
        var count = 0
        var nonBlank = false
        var foreign = false  // a character that is neither alphanumeric nor a separator
        var changed = false  // the canonical form differs from the input bytes
        var index = 0
        while index < text.count {
            let (scalar, width) = decodeScalar(text, at: index)
            index += width
            var byte: UInt8 = 0
            switch scalar {
            case 0x30...0x39, 0x41...0x5A:
                byte = UInt8(truncatingIfNeeded: scalar)
            case 0x61...0x7A:
                byte = UInt8(truncatingIfNeeded: scalar - 0x20)
            case 0xFF10...0xFF19:
                byte = UInt8(truncatingIfNeeded: scalar - 0xFF10 + 0x30)
            case 0xFF21...0xFF3A:
                byte = UInt8(truncatingIfNeeded: scalar - 0xFF21 + 0x41)
            case 0xFF41...0xFF5A:
                byte = UInt8(truncatingIfNeeded: scalar - 0xFF41 + 0x41)
            case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000:
                changed = true
                continue
            case 0x2D, 0xFF0D, 0x2010...0x2015, 0x2212:  // hyphens and dashes
                changed = true
                nonBlank = true
                continue
            default:
                nonBlank = true
                foreign = true
                changed = true
                continue
            }
            nonBlank = true
            if width != 1 || byte != text[index - 1] { changed = true }
            if count < 24 { withUnsafeMutableBytes(of: &code) { $0[count] = byte } }
            count += 1
        }
        if !nonBlank { return .failure(.empty) }
        return withUnsafeBytes(of: code) { bytes in
            let chars = UnsafeBufferPointer(start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: min(count, 24))
            if count == 0 || chars.allSatisfy({ $0 == 0x30 }) { return .failure(.placeholder) }
            if foreign { return .failure(isLatinPlaceholder(text) ? .placeholder : .badCharacter) }
            let value = { changed || original == nil ? String(decoding: chars, as: UTF8.self) : original! }
            switch count {
            case 18:
                return validateUSCC(chars, strict: strict).map {
                    TaxID(value: value(), kind: .uscc, divisionCode: division(chars, 2))
                }
            case 15:
                return validateLegacy(chars).map { TaxID(value: value(), kind: .legacy15, divisionCode: division(chars, 0)) }
            default:
                return .failure(isLatinPlaceholder(text) ? .placeholder : .badLength)
            }
        }
    }

    private static func division(_ chars: UnsafeBufferPointer<UInt8>, _ start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: chars[start..<start + 6]), as: UTF8.self)
    }

    private static func validateUSCC(_ chars: UnsafeBufferPointer<UInt8>, strict: Bool) -> Result<Void, TaxIDRefusal> {
        var sum = 0
        for i in 0..<18 {
            let value = values[Int(chars[i] & 0x7F)]
            if value == 0xFF { return .failure(.badCharacter) }
            if i >= 2 && i < 8 && value > 9 { return .failure(.badCharacter) }  // the division code
            if i < 17 { sum += Int(value) * weights[i] }
        }
        if !isRegistrationCode(chars[0], chars[1]) { return .failure(.badRegistrationCode) }
        if alphabet[(31 - sum % 31) % 31] != chars[17] { return .failure(.badCheckCharacter) }
        if strict && !organizationCheckPasses(UnsafeBufferPointer(rebasing: chars[8..<17])) {
            return .failure(.badOrganizationCheck)
        }
        return .success(())
    }

    /// 6-digit division code + 9-character organization code, whose check digit is the only
    /// protection such a number has: enforced.
    private static func validateLegacy(_ chars: UnsafeBufferPointer<UInt8>) -> Result<Void, TaxIDRefusal> {
        for i in 0..<6 where !(0x30...0x39).contains(chars[i]) { return .failure(.badCharacter) }
        for i in 6..<14 where !isOrganizationCharacter(chars[i]) { return .failure(.badCharacter) }
        if !(0x30...0x39).contains(chars[14]) && chars[14] != 0x58 { return .failure(.badCharacter) }
        if !organizationCheckPasses(UnsafeBufferPointer(rebasing: chars[6..<15])) {
            return .failure(.badOrganizationCheck)
        }
        return .success(())
    }

    private static func isOrganizationCharacter(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
    }

    /// GB 11714-1997: C9 = 11 − Σ(Ci·Wi) mod 11, 10 → X, 11 → 0; characters 0–9, A=10 … Z=35.
    static func organizationCheckPasses(_ chars: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        for i in 0..<8 {
            let byte = chars[i]
            guard isOrganizationCharacter(byte) else { return false }
            let value = byte <= 0x39 ? Int(byte - 0x30) : Int(byte - 0x41) + 10
            sum += value * organizationWeights[i]
        }
        let check = 11 - sum % 11
        let expected: UInt8 = check == 10 ? 0x58 : check == 11 ? 0x30 : UInt8(0x30 + check)
        return chars[8] == expected
    }

    /// N/A, null, none…: a placeholder even though it has letters.
    private static func isLatinPlaceholder(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var word: [UInt8] = []
        for byte in text {
            switch byte {
            case 0x41...0x5A: word.append(byte + 0x20)
            case 0x61...0x7A: word.append(byte)
            case 0x20, 0x09, 0x2F, 0x2D, 0x2E, 0x23: continue
            default: if byte >= 0x80 { return !word.isEmpty ? false : isCJKOnly(text) } else { return false }
            }
        }
        return ["na", "nan", "null", "nil", "none", "unknown", "tbd"].contains(String(decoding: word, as: UTF8.self))
    }

    /// Text without a single ASCII letter or digit: 无, 暂无, 不详, 未提供.
    private static func isCJKOnly(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        !text.contains { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }
}
