import Extract
import Foundation

/// Turns the source records of one file into canonical records: every mapped value through
/// its normalizer, the customer key when the record has both halves, or a rejection.
/// Built once per file; `normalize` is the per-row hot path.
package struct RecordNormalizer: Sendable {
    package struct Options: Sendable {
        /// Whether a legacy 15-digit tax registration number may stand in for a USCC.
        package var legacyTaxIDForms: Bool = false
        /// Whether a landline's area code may settle an ambiguous address (鼓楼区 → 福州 for 0591).
        package var areaCodeResolvesAddress: Bool = true
        /// Records are contacts (calls): a caller's landline identifies them as well as a mobile,
        /// and they never form a key.
        package var interactions: Bool = false
        /// When set, every record is also a contact through this channel (forms that count as
        /// contacts); interactions default to it when they map no `channel`.
        package var contactChannel: String?

        package init() {}
    }

    package let system: String
    package let mapping: FieldMapping
    package let options: Options
    let timestamps: TimestampParser
    let keyer: CustomerKeyer
    private let addresses: AddressParser

    package init(
        system: String, mapping: FieldMapping, timestamps: TimestampParser, keyer: CustomerKeyer,
        addresses: AddressParser, options: Options = Options()
    ) {
        self.system = system
        self.mapping = mapping
        self.timestamps = timestamps
        self.keyer = keyer
        self.addresses = addresses
        self.options = options
    }

    package func normalize(_ record: SourceRecord) -> Result<CanonicalRecord, Rejection> {
        let sourceID = sourceID(of: record)
        var out = CanonicalRecord(sourceSystem: system, sourceID: sourceID)
        // An id and nothing else (a push whose form text is empty) is an empty record, not a
        // customer without identifiers.
        if mapping.columns.allSatisfy({ record.values[$0.index].isBlank })
            && mapping.contactColumns.allSatisfy({ record.values[$0.index].isBlank })
        {
            return .failure(Rejection(.emptyRow, "no value in any mapped field", sourceID: sourceID))
        }
        if let rejection = controlCharacters(in: record, sourceID: sourceID) { return .failure(rejection) }
        if let column = mapping.updatedAtColumn, !record.values[column].isBlank {
            switch timestamps.parse(record.values[column]) {
            case .success(let date): out.updatedAt = date
            case .failure(let refusal): out.refusals.append(FieldRefusal(field: "updated_at", reason: refusal.rawValue))
            }
        }
        var rawAddress: String?
        var areaHint: String?
        for (field, index) in mapping.columns {
            let raw = record.values[index]
            if raw.isBlank { continue }
            switch field {
            case .phone, .landline:
                for result in normalizePhones(raw) {
                    switch result {
                    case .success(let phone): take(phone, into: &out, areaHint: &areaHint)
                    case .failure(let refusal):
                        out.refusals.append(FieldRefusal(field: field.rawValue, reason: refusal.rawValue))
                    }
                }
            case .taxID:
                switch normalizeTaxID(raw) {
                case .success(let taxID) where taxID.kind == .uscc || options.legacyTaxIDForms:
                    out.taxID = out.taxID ?? taxID.value
                case .success:
                    out.refusals.append(FieldRefusal(field: field.rawValue, reason: "legacy15"))
                case .failure(let refusal):
                    out.refusals.append(FieldRefusal(field: field.rawValue, reason: refusal.rawValue))
                }
            case .name:
                switch normalizeName(raw) {
                case .success(let name) where name.kind == .full || name.kind == .latin:
                    out[.name] = name.name
                    out[.namePinyin] = name.display
                case .success(let name):
                    out.refusals.append(FieldRefusal(field: field.rawValue, reason: name.kind.rawValue))
                case .failure(let refusal):
                    out.refusals.append(FieldRefusal(field: field.rawValue, reason: refusal.rawValue))
                }
            case .address:
                rawAddress = raw
            case .lastContactAt, .nextFollowupAt, .createdAt:
                switch timestamps.parse(raw) {
                case .success(let date): out[Self.column(for: field)] = timestamps.iso8601(date)
                case .failure(let refusal):
                    out.refusals.append(FieldRefusal(field: field.rawValue, reason: refusal.rawValue))
                }
            case .company:
                if let name = CompanyName.normalize(raw), !Self.isPlaceholder(name) { out[.company] = name }
            case .industry, .owner, .salesGroup, .firstTouchChannel, .status, .nextFollowupPlan, .notes:
                let text = raw.trimmingBlanks()
                if !Self.isPlaceholder(text) { out[Self.column(for: field)] = text }
            }
        }
        if let rawAddress {
            resolve(address: rawAddress, areaHint: options.areaCodeResolvesAddress ? areaHint : nil, into: &out)
        }
        if options.interactions || options.contactChannel != nil {
            out.contact = contact(of: record, into: &out)
            out.contactOnly = options.interactions
        }
        if let rejection = identify(&out) { return .failure(rejection) }
        if sourceID.isEmpty {
            return .failure(Rejection(.missingID, "the source id column is empty"))
        }
        return .success(out)
    }

    /// A control character in the source id, or a NUL in any mapped cell: the store's text and
    /// the exports would cut the value there (and an id must read back as it was written).
    private func controlCharacters(in record: SourceRecord, sourceID: String) -> Rejection? {
        if sourceID.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            let shown = sourceID.escapingControlCharacters
            return Rejection(.malformed, "the source id \(shown) holds a control character", sourceID: shown)
        }
        for (field, index) in mapping.columns where record.values[index].containsNUL {
            return Rejection(.malformed, "the \(field.rawValue) cell holds a NUL byte (U+0000)", sourceID: sourceID)
        }
        for (_, index) in mapping.contactColumns where record.values[index].containsNUL {
            return Rejection(.malformed, "a contact cell holds a NUL byte (U+0000)", sourceID: sourceID)
        }
        return nil
    }

    /// Keys a record that has both halves, or says why it can never link. A call identifies its
    /// customer by the caller's number alone, landline included, and never forms a key.
    private func identify(_ out: inout CanonicalRecord) -> Rejection? {
        if options.interactions {
            guard out.mobile == nil && out[.landline] == nil else { return nil }
            let refused = out.refusals.filter { $0.field == "phone" }.map { "phone \($0.reason)" }
            let detail = refused.isEmpty ? "no caller number (withheld)" : refused.joined(separator: ", ")
            return Rejection(.noIdentifier, "no valid caller number to link the contact (\(detail))", sourceID: out.sourceID)
        }
        if let mobile = out.mobile, let taxID = out.taxID {
            out.key = keyer.key(phoneE164: mobile, taxID: taxID)
            return nil
        }
        guard out.mobile == nil && out.taxID == nil else { return nil }
        let refused = out.refusals.filter { ["phone", "landline", "tax_id"].contains($0.field) }
            .map { "\($0.field) \($0.reason)" }
        let detail = refused.isEmpty ? "no phone or tax ID" : refused.joined(separator: ", ")
        return Rejection(.noIdentifier, "neither a valid mobile phone nor a valid tax ID (\(detail))", sourceID: out.sourceID)
    }

    /// The contact a record stands for: its channel, start and call details. Its start moves
    /// the record's `last_contact_at` forward; a call without `updated_at` is as new as its start.
    private func contact(of record: SourceRecord, into out: inout CanonicalRecord) -> Contact {
        var contact = Contact(channel: options.contactChannel ?? system)
        for (field, index) in mapping.contactColumns {
            let raw = record.values[index]
            if raw.isBlank { continue }
            let text = raw.trimmingBlanks()
            switch field {
            case .startedAt:
                switch timestamps.parse(raw) {
                case .success(let date): contact.startedAt = date
                case .failure(let refusal): out.refusals.append(FieldRefusal(field: field.rawValue, reason: refusal.rawValue))
                }
            case .channel: contact.channel = text
            case .agent: contact.agent = text
            case .durationSeconds:
                if let seconds = Int(text), seconds >= 0 {
                    contact.durationSeconds = seconds
                } else {
                    out.refusals.append(FieldRefusal(field: field.rawValue, reason: "not_a_number"))
                }
            case .outcome: contact.outcome = text
            case .called: contact.called = text
            }
        }
        if contact.startedAt == nil && mapping.contactColumns.allSatisfy({ $0.field != .startedAt }) {
            contact.startedAt = out.updatedAt
        }
        if let started = contact.startedAt {
            if out.updatedAt == nil { out.updatedAt = started }
            let text = timestamps.iso8601(started)
            if out[.lastContactAt].map({ TimestampParser.isLater(text, than: $0) }) ?? true { out[.lastContactAt] = text }
        }
        return contact
    }

    private func take(_ phone: NormalizedPhone, into out: inout CanonicalRecord, areaHint: inout String?) {
        switch phone.kind {
        case .mobile, .international:
            if out.mobile == nil { out.mobile = phone.e164 }
        case .landline, .service:
            if out[.landline] == nil { out[.landline] = phone.e164 }
            if areaHint == nil { areaHint = phone.area }
        }
    }

    private func resolve(address raw: String, areaHint: String?, into out: inout CanonicalRecord) {
        switch addresses.parse(raw, areaHint: areaHint) {
        case .success(let address):
            out[.province] = address.province
            out[.city] = address.city
            out[.district] = address.district
            out[.adcode] = address.adcode
            out[.addressDetail] = address.detail.isEmpty ? nil : address.detail
            if !address.isComplete {
                // A name split among districts (杭州江干区) says so: no guess which one.
                let reason = address.retired?.isSplit == true ? "split_district" : "no_district"
                out.refusals.append(FieldRefusal(field: "address", reason: reason))
            }
        case .failure(let refusal):
            let text = raw.trimmingBlanks()
            if !Self.isPlaceholder(text) { out[.addressDetail] = text }
            out.refusals.append(FieldRefusal(field: "address", reason: refusal.rawValue))
        }
    }

    /// The master column of a single-column field.
    private static func column(for field: CanonicalField) -> MasterColumn {
        // A scan of the 19 columns, not a dictionary: a String-backed enum hashes its raw value.
        masterColumns.first { $0.field == field }!
    }

    private static let masterColumns = MasterColumn.allCases

    private static let placeholders: Set<String> = ["", "-", "--", "—", "无", "暂无", "N/A", "n/a", "NA", "null", "NULL", "#N/A"]

    /// What people type for "no value" in a free-text cell.
    static func isPlaceholder(_ text: String) -> Bool {
        guard text.utf8.count <= 6 else { return false }
        return placeholders.contains(text)
    }
}
