/// The canonical customer fields a source column may be mapped to (docs/design.md). The raw values
/// are the names used in pipeline files and exports.
package enum CanonicalField: String, CaseIterable, Sendable, Hashable {
    case name, phone, company
    case taxID = "tax_id"
    case address, industry, owner
    case salesGroup = "sales_group"
    case firstTouchChannel = "first_touch_channel"
    case status
    case lastContactAt = "last_contact_at"
    case nextFollowupPlan = "next_followup_plan"
    /// A second, fixed-line number: it links calls, never keys.
    case landline
    case nextFollowupAt = "next_followup_at"
    case createdAt = "created_at"
    case notes

    /// The 12 core fields the completeness metric counts by default.
    package static let coreRequired: [CanonicalField] = [
        .name, .phone, .company, .taxID, .address, .industry, .owner, .salesGroup,
        .firstTouchChannel, .status, .lastContactAt, .nextFollowupPlan,
    ]
}

/// A column of the master record. Several columns may come from one canonical field (the
/// address gives province, city, district, adcode and detail) and survive together.
package enum MasterColumn: Int, CaseIterable, Sendable {
    case name, namePinyin, company, province, city, district, adcode, addressDetail
    case industry, owner, salesGroup, firstTouchChannel, status
    case lastContactAt, nextFollowupPlan, nextFollowupAt, landline, createdAt, notes

    /// The column name in the store and in exports.
    package var name: String {
        switch self {
        case .name: "name"
        case .namePinyin: "name_pinyin"
        case .company: "company"
        case .province: "province"
        case .city: "city"
        case .district: "district"
        case .adcode: "adcode"
        case .addressDetail: "address_detail"
        case .industry: "industry"
        case .owner: "owner"
        case .salesGroup: "sales_group"
        case .firstTouchChannel: "first_touch_channel"
        case .status: "status"
        case .lastContactAt: "last_contact_at"
        case .nextFollowupPlan: "next_followup_plan"
        case .nextFollowupAt: "next_followup_at"
        case .landline: "landline_e164"
        case .createdAt: "created_at"
        case .notes: "notes"
        }
    }

    /// The canonical field whose value this column comes from; survivorship decides per field.
    package var field: CanonicalField {
        switch self {
        case .name, .namePinyin: .name
        case .company: .company
        case .province, .city, .district, .adcode, .addressDetail: .address
        case .industry: .industry
        case .owner: .owner
        case .salesGroup: .salesGroup
        case .firstTouchChannel: .firstTouchChannel
        case .status: .status
        case .lastContactAt: .lastContactAt
        case .nextFollowupPlan: .nextFollowupPlan
        case .nextFollowupAt: .nextFollowupAt
        case .landline: .landline
        case .createdAt: .createdAt
        case .notes: .notes
        }
    }
}

/// The canonical fields that survive in the master record, in a stable order: the index
/// used for per-field provenance.
package enum SurvivingField {
    package static let all: [CanonicalField] = CanonicalField.allCases.filter { $0 != .phone && $0 != .taxID }

    /// The index of `field` in `all`.
    package static func index(of field: CanonicalField) -> Int { all.firstIndex(of: field)! }
}
