import Extract
import Foundation
import Load
import Transform

/// What `crmbridge normalize` normalizes: one normalizer of `Transform` each.
package enum NormalizeKind: String, Sendable, CaseIterable {
    case phone, name, address, taxid, date
}

/// One output cell of `crmbridge normalize`: JSON `null`, a boolean or a string.
package enum NormalizeValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case string(String)

    init(_ text: String?) {
        self = text.map { .string($0) } ?? .null
    }
}

/// Normalizes single values with one normalizer and writes the result as a TSV row or a JSON
/// object whose keys are a contract (docs: `crmbridge normalize --help`). Built once per command:
/// the gazetteer and the time zone are prepared here, not per value.
///
/// ```swift
/// let normalizer = try ValueNormalizer(kind: .phone)
/// normalizer.json("(0755)8888-6666")
/// // {"input":"(0755)8888-6666","valid":true,"e164":"+8675588886666","type":"landline",
/// //  "extension":null,"area":"深圳市","reason":null}
/// ```
package struct ValueNormalizer: Sendable {
    package let kind: NormalizeKind
    private let addressParser: AddressParser?
    private let timestamps: TimestampParser

    /// - Parameter dateOrder: dates: how to read `21/11/2026` (a source's `date_order`); nil refuses it as ambiguous.
    /// - Throws: `ValueNormalizerError` for a `timeZone` that is no IANA name.
    package init(kind: NormalizeKind, timeZone: String = TimestampParser.defaultTimeZone.identifier, dateOrder: DateOrder? = nil)
        throws(ValueNormalizerError)
    {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ValueNormalizerError("unknown time zone '\(timeZone)': use an IANA name such as Asia/Shanghai")
        }
        self.kind = kind
        timestamps = TimestampParser(timeZone: zone, dateOrder: dateOrder)
        addressParser = kind == .address ? AddressParser() : nil
    }

    /// The keys of every result, in output order: the TSV header and the JSON keys.
    package var columns: [String] {
        switch kind {
        case .phone: ["input", "valid", "e164", "type", "extension", "area", "reason"]
        case .name: ["input", "name", "pinyin", "honorific", "kind", "reason"]
        case .address: ["input", "province", "city", "district", "adcode", "detail", "reason", "retired"]
        case .taxid: ["input", "valid", "value", "kind", "reason"]
        case .date: ["input", "value", "reason"]
        }
    }

    /// The result for one value, one cell per column of `columns`. `reason` is null when the
    /// value was accepted, else the normalizer's reason code (`letters`, `bad_check_character`…).
    package func values(_ raw: String) -> [NormalizeValue] {
        let input = NormalizeValue.string(raw)
        switch kind {
        case .phone:
            switch normalizePhone(raw) {
            case .success(let phone):
                return [
                    input, .bool(true), .string(phone.e164), .string(phone.kind.rawValue),
                    NormalizeValue(phone.extensionDigits), NormalizeValue(phone.area), .null,
                ]
            case .failure(let refusal):
                return [input, .bool(false), .null, .null, .null, .null, .string(refusal.rawValue)]
            }
        case .name:
            switch normalizeName(raw) {
            case .success(let name):
                // A surname with a title is kept but is no full name: it says so in `reason`.
                let reason: String? = name.kind == .surnameOnly ? name.kind.rawValue : nil
                return [
                    input, .string(name.name), .string(name.display), NormalizeValue(name.honorific),
                    .string(name.kind.rawValue), NormalizeValue(reason),
                ]
            case .failure(let refusal):
                return [input, .null, .null, .null, .string(NormalizedName.Kind.missing.rawValue), .string(refusal.rawValue)]
            }
        case .address:
            switch (addressParser ?? AddressParser()).parse(raw) {
            case .success(let address):
                return [
                    input, NormalizeValue(address.province), NormalizeValue(address.city),
                    NormalizeValue(address.district), NormalizeValue(address.adcode),
                    NormalizeValue(address.detail.isEmpty ? nil : address.detail), .null,
                    NormalizeValue(
                        address.retired.map { "\($0.name) \($0.year) → \($0.successors.joined(separator: "|"))" }),
                ]
            case .failure(let refusal):
                return [input, .null, .null, .null, .null, .null, .string(refusal.rawValue), .null]
            }
        case .taxid:
            switch normalizeTaxID(raw) {
            case .success(let id):
                return [input, .bool(true), .string(id.value), .string(id.kind.rawValue), .null]
            case .failure(let refusal):
                return [input, .bool(false), .null, .null, .string(refusal.rawValue)]
            }
        case .date:
            switch timestamps.parse(raw) {
            case .success(let date):
                let text = timestamps.iso8601(date)
                // iso8601 is empty only for instants beyond year 9999, which parse already refuses.
                return [
                    input, text.isEmpty ? .null : .string(text), text.isEmpty ? .string(DateRefusal.outOfRange.rawValue) : .null,
                ]
            case .failure(let refusal):
                return [input, .null, .string(refusal.rawValue)]
            }
        }
    }

    /// The TSV header line (without its newline).
    package var tsvHeader: String { columns.joined(separator: "\t") }

    /// One TSV line (without its newline): null is an empty cell, booleans `true`/`false`; tabs
    /// and line breaks inside a value become spaces so that a line stays one row.
    package func tsv(_ raw: String) -> String {
        values(raw).map { value in
            switch value {
            case .null: ""
            case .bool(let flag): flag ? "true" : "false"
            case .string(let text):
                text.contains(where: { $0 == "\t" || $0.isNewline })
                    ? String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 }) : text
            }
        }.joined(separator: "\t")
    }

    /// One JSON object on one line (without its newline), keys in `columns` order.
    package func json(_ raw: String) -> String {
        var out = "{"
        for (index, (key, value)) in zip(columns, values(raw)).enumerated() {
            if index > 0 { out += "," }
            out += jsonString(key)
            out += ":"
            switch value {
            case .null: out += "null"
            case .bool(let flag): out += flag ? "true" : "false"
            case .string(let text): out += jsonString(text)
            }
        }
        return out + "}"
    }
}

/// A `crmbridge normalize` option that cannot be used, with what to do.
package struct ValueNormalizerError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
