import Extract
import Foundation
import Testing

@testable import Transform

@Suite struct RecordNormalizerTests {
    static let header = ["客户编号", "联系人", "手机", "座机", "统一社会信用代码", "地址", "负责人", "最近联系日期", "更新时间"]
    static let keyer = CustomerKeyer(secret: Array("test".utf8))

    func normalizer() throws -> RecordNormalizer {
        let fields: [(field: CanonicalField, column: String)] = [
            (.name, "联系人"), (.phone, "手机"), (.landline, "座机"), (.taxID, "统一社会信用代码"),
            (.address, "地址"), (.owner, "负责人"), (.lastContactAt, "最近联系日期"),
        ]
        let mapping = try FieldMapping(header: Self.header, id: "客户编号", updatedAt: "更新时间", fields: fields)
        return RecordNormalizer(
            system: "crm", mapping: mapping,
            timestamps: TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!),
            keyer: Self.keyer, addresses: AddressParser())
    }

    func row(_ values: [String]) -> SourceRecord { SourceRecord(locator: .line(2), values: values) }

    @Test func aMobileAndAUSCCMakeAKey() throws {
        let result = try normalizer().normalize(
            row([
                "KH1", "张伟先生", "138-0013-8000", "(0755)8888-6666", "91440300MA5FXT4K8N".lowercased(),
                "广东省深圳市南山区科技园路1号", " 李娜 ", "2026/1/5", "2026/11/21 11:19",
            ]))
        let record = try result.get()
        #expect(record.sourceID == "KH1")
        #expect(record.mobile == "+8613800138000")
        #expect(record.taxID == "91440300MA5FXT4K8N")
        #expect(record.key == Self.keyer.key(phoneE164: "+8613800138000", taxID: "91440300MA5FXT4K8N"))
        #expect(record[.name] == "张伟")
        #expect(record[.landline] == "+8675588886666")
        #expect(record[.owner] == "李娜")
        #expect(record[.lastContactAt] == "2026-01-05T00:00:00+08:00")
        #expect(record.updatedAt == Date(timeIntervalSince1970: 1_795_231_140))
    }

    @Test func aLandlineNeverKeys() throws {
        let record = try normalizer().normalize(
            row([
                "KH2", "王磊", "", "010-12345678", "91440300MA5FXT4K8N", "", "", "", "",
            ])
        ).get()
        #expect(record.mobile == nil)
        #expect(record.key == nil)
        #expect(record.taxID != nil)
    }

    @Test func neitherIdentifierIsRejectedWithTheReasons() throws {
        let result = try normalizer().normalize(row(["KH3", "李四", "无", "", "9144030OMA5FXT4K8Q", "", "", "", ""]))
        guard case .failure(let rejection) = result else { Issue.record("expected a rejection"); return }
        #expect(rejection.reason == .noIdentifier)
        #expect(rejection.sourceID == "KH3")
        #expect(rejection.message.contains("phone placeholder"))
        #expect(rejection.message.contains("tax_id"))
    }

    @Test func anEmptyIDIsRejectedAfterTheIdentifierCheck() throws {
        let result = try normalizer().normalize(row(["", "李四", "13800138000", "", "", "", "", "", ""]))
        guard case .failure(let rejection) = result else { Issue.record("expected a rejection"); return }
        #expect(rejection.reason == .missingID)
    }

    @Test func theEncodedFormRoundTrips() throws {
        let record = try normalizer().normalize(
            row([
                "KH4", "欧阳丹娜", "13800138000", "", "", "北京市朝阳区建国路1号", "", "", "2026-11-21 08:00",
            ])
        ).get()
        let decoded = CanonicalRecord(encoded: record.encoded, sourceSystem: "crm", sourceID: "KH4")
        #expect(decoded == record)
        #expect(decoded?.digest == record.digest)
        #expect(record.encoded.hasPrefix("v1\u{1F}+8613800138000\u{1F}"))
        // Values that begin with a combining mark or hold joined emoji, refusals, a contact only:
        // the parts are split on the separator's byte, and come back whole.
        var odd = record
        odd[.company] = "\u{301}é有限公司👩‍👩‍👧"
        odd[.owner] = "张\u{301}"
        odd.refusals = [FieldRefusal(field: "landline", reason: "too_short"), FieldRefusal(field: "tax_id", reason: "checksum")]
        odd.contactOnly = true
        #expect(CanonicalRecord(encoded: odd.encoded, sourceSystem: "crm", sourceID: "KH4") == odd)
    }

    /// The layout of `encoded`, field by field, as stores hold it: a change here is a new version.
    @Test func theEncodedFormIsTheDocumentedLayout() {
        var record = CanonicalRecord(sourceSystem: "crm", sourceID: "KH4")
        record.mobile = "+8613800138000"
        record.updatedAt = Date(timeIntervalSince1970: 1_763_683_200)
        record.refusals = [
            FieldRefusal(field: "landline", reason: "too_short"), FieldRefusal(field: "tax_id", reason: "checksum"),
        ]
        record[.name] = "欧阳\u{1F}丹娜"
        record[.company] = ""
        record[.notes] = "末"
        let values = MasterColumn.allCases.map { column -> String in
            switch column {
            case .name: "=欧阳 丹娜"
            case .company: "="
            case .notes: "=末"
            default: ""
            }
        }
        let header = ["v1", "+8613800138000", "", "1763683200.0", "", "landline=too_short,tax_id=checksum"]
        let expected = header + values
        #expect(record.encoded == expected.joined(separator: "\u{1F}"))
        record.contactOnly = true
        record.updatedAt = Date(timeIntervalSince1970: 1.5)
        #expect(record.encoded.split(separator: "\u{1F}", omittingEmptySubsequences: false)[3...4] == ["1.5", "c"])
    }

    /// Stores written before the version field hold the same fields without it.
    @Test func theUnversionedFormOfOlderStoresIsStillRead() throws {
        let record = try normalizer().normalize(
            row([
                "KH4", "欧阳丹娜", "13800138000", "", "", "北京市朝阳区建国路1号", "", "", "2026-11-21 08:00",
            ])
        ).get()
        let older = String(record.encoded.dropFirst(3))
        #expect(CanonicalRecord(encoded: older, sourceSystem: "crm", sourceID: "KH4") == record)
        #expect(CanonicalRecord(encoded: "v9\u{1F}" + older, sourceSystem: "crm", sourceID: "KH4") == nil)
        #expect(CanonicalRecord(encoded: "v1\u{1F}+8613800138000", sourceSystem: "crm", sourceID: "KH4") == nil)
    }

    /// The pending pass reads only the link values; they must be the full decode's, in every
    /// form it reads, and refused where it refuses.
    @Test func theLinkValuesAreTheDecodedOnes() throws {
        var record = try normalizer().normalize(
            row(["KH4", "欧阳丹娜", "13800138000", "", "", "北京市朝阳区建国路1号", "", "", "2026-11-21 08:00"])
        ).get()
        record[.landline] = "+861065529988"
        record.taxID = "91110108MA01ABCD5T"
        for encoded in [record.encoded, String(record.encoded.dropFirst(3))] {
            let values = CanonicalRecord.linkValues(encoded: encoded)
            #expect(values?.mobile == "+8613800138000")
            #expect(values?.taxID == "91110108MA01ABCD5T")
            #expect(values?.landline == "+861065529988")
        }
        var bare = record
        (bare.mobile, bare.taxID, bare[.landline]) = (nil, nil, nil)
        let none = CanonicalRecord.linkValues(encoded: bare.encoded)
        #expect(none != nil && none?.mobile == nil && none?.taxID == nil && none?.landline == nil)
        #expect(CanonicalRecord.linkValues(encoded: "v9\u{1F}" + String(record.encoded.dropFirst(3))) == nil)
        #expect(CanonicalRecord.linkValues(encoded: "v1\u{1F}+8613800138000") == nil)
        #expect(CanonicalRecord.linkValues(encoded: "") == nil)
    }
}
