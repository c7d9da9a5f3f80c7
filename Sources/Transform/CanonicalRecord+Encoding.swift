import Extract
import Foundation

/// The form a record takes in the store (`xref.record`), from which pending records are
/// retried. Not JSON: it is written once per source row, and JSONEncoder would dominate a load.
///
/// Version 1 is text of fields separated by U+001F (a value's own U+001F becomes a space):
///
/// | field | holds |
/// |---|---|
/// | 0 | `v1` |
/// | 1, 2 | the mobile in E.164, the tax ID; empty for none |
/// | 3 | `updatedAt` as seconds since 1970 (a decimal number); empty for none |
/// | 4 | `c` for a contact and nothing else |
/// | 5 | the refusals, `field=reason` joined by `,` |
/// | 6… | one per `MasterColumn`, in its order: `=` and the value, or empty for none |
///
/// Records stored before the version field are the same fields without it. A new layout is a new
/// version, and `init(encoded:)` keeps reading the old ones.
extension CanonicalRecord {
    private static let version = "v1"

    package var encoded: String { String(decoding: encodedUTF8, as: UTF8.self) }

    /// `encoded` as the UTF-8 bytes the store binds (no String made, nor validated again).
    package var encodedUTF8: [UInt8] {
        let seconds = updatedAt.map { String($0.timeIntervalSince1970) }
        let refused = refusals.map { "\($0.field)=\($0.reason)" }.joined(separator: ",")
        /// Each field in order, and whether it is a value (`=` before it when present).
        func forEachField(_ body: (String?, _ isValue: Bool) -> Void) {
            body(Self.version, false)
            body(mobile, false)
            body(taxID, false)
            body(seconds, false)
            body(contactOnly ? "c" : nil, false)
            body(refused, false)
            for index in values.indices { body(values[index], true) }
        }
        var total = -1  // separators between fields, not after the last
        forEachField { text, isValue in total += 1 + (text.map { $0.utf8.count + (isValue ? 1 : 0) } ?? 0) }
        // Sized once and filled by copies, not appended to field by field.
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            var at = 0
            var first = true
            forEachField { text, isValue in
                if !first {
                    base[at] = 0x1F
                    at += 1
                }
                first = false
                guard let text else { return }
                if isValue {
                    base[at] = UInt8(ascii: "=")
                    at += 1
                }
                text.withUTF8Bytes { utf8 in
                    guard let source = utf8.baseAddress else { return }
                    (base + at).update(from: source, count: utf8.count)
                    // The separator must not occur inside a value: a stray U+001F becomes a space.
                    if memchr(source, 0x1F, utf8.count) != nil {
                        for index in at..<at + utf8.count where base[index] == 0x1F { base[index] = 0x20 }
                    }
                    at += utf8.count
                }
            }
            initialized = at
        }
    }

    /// Reads `encoded` back; nil for a layout this build does not know. The key is not part of
    /// it: only records without one are retried.
    package init?(encoded: String, sourceSystem: String, sourceID: String) {
        guard let parts = Self.parts(of: encoded) else { return nil }
        let start = parts.startIndex
        self.init(sourceSystem: sourceSystem, sourceID: sourceID)
        mobile = Self.text(parts[start])
        taxID = Self.text(parts[start + 1])
        updatedAt = Double(Substring(parts[start + 2])).map { Date(timeIntervalSince1970: $0) }
        contactOnly = parts[start + 3].elementsEqual("c".utf8)
        refusals = String(Substring(parts[start + 4])).split(separator: ",").compactMap { item in
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            return FieldRefusal(field: String(pair[0]), reason: String(pair[1]))
        }
        for (index, part) in parts.dropFirst(5).enumerated() {
            values[index] = part.first == UInt8(ascii: "=") ? String(Substring(part.dropFirst())) : nil
        }
    }

    /// The mobile, tax ID and landline of `encoded`, without reading the rest (what the pending
    /// pass looks customers up by, for every waiting record); nil for a layout `init(encoded:)`
    /// refuses.
    package static func linkValues(encoded: String) -> (mobile: String?, taxID: String?, landline: String?)? {
        guard let parts = parts(of: encoded) else { return nil }
        let landline = parts[parts.startIndex + 5 + MasterColumn.landline.rawValue]
        return (
            text(parts[parts.startIndex]), text(parts[parts.startIndex + 1]),
            landline.first == UInt8(ascii: "=") ? String(Substring(landline.dropFirst())) : nil
        )
    }

    /// The fields of `encoded` after its version, or nil when they are not this build's count.
    /// Split on the separator's byte: U+001F always ends a grapheme, so the parts are the
    /// Character split's, without its grapheme breaking (a third of the pending pass's time),
    /// and found by `memchr` (the generic split, a byte at a time through the view, was most of
    /// what was left of a re-run's pending pass).
    private static func parts(of encoded: String) -> ArraySlice<Substring.UTF8View>? {
        let utf8 = encoded.utf8
        var parts: [Substring.UTF8View] = []
        parts.reserveCapacity(6 + MasterColumn.allCases.count)
        let scanned: Void? = utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return parts.append(utf8[...]) }
            var start = 0
            func part(_ end: Int) -> Substring.UTF8View {
                utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]
            }
            while let found = memchr(base + start, 0x1F, bytes.count - start) {
                let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                parts.append(part(end))
                start = end + 1
            }
            parts.append(part(bytes.count))
        }
        if scanned == nil { parts = utf8.split(separator: 0x1F, omittingEmptySubsequences: false) }
        var fields = parts[...]
        if let first = fields.first, first.elementsEqual(version.utf8) { fields = fields.dropFirst() }
        return fields.count == 5 + MasterColumn.allCases.count ? fields : nil
    }

    /// An identifier field: empty is none.
    private static func text(_ part: Substring.UTF8View) -> String? { part.isEmpty ? nil : String(Substring(part)) }
}
