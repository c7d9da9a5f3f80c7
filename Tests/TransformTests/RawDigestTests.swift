import Extract
import Foundation
import Testing

@testable import Transform

/// What lets the reading thread skip normalizing a row the store already holds: the row's
/// digest, and the few values the run needs of a row it does not normalize.
@Suite struct RawDigestTests {
    static let header = ["客户编号", "联系人", "手机", "统一社会信用代码", "负责人", "更新时间"]
    static let timestamps = TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static let row = ["KH1", "张伟", "13800138000", "91440300MA5FXT4K8N", " 李娜 ", "2026/11/21 11:19"]

    func normalizer(
        secret: String = "test", owner: String = "负责人", legacy: Bool = false,
        dateOrder: DateOrder? = nil
    ) throws -> RecordNormalizer {
        let mapping = try FieldMapping(
            header: Self.header, id: "客户编号", updatedAt: "更新时间",
            fields: [(.name, "联系人"), (.phone, "手机"), (.taxID, "统一社会信用代码"), (.owner, owner)])
        var options = RecordNormalizer.Options()
        options.legacyTaxIDForms = legacy
        return RecordNormalizer(
            system: "crm", mapping: mapping, timestamps: Self.timestamps.with(dateOrder: dateOrder),
            keyer: CustomerKeyer(secret: Array(secret.utf8)), addresses: AddressParser(), options: options)
    }

    func digest(_ values: [String], _ normalizer: RecordNormalizer) -> Int64 {
        normalizer.rawDigest(of: SourceRecord(locator: .line(2), values: values), fingerprint: normalizer.fingerprint)
    }

    @Test func theDigestFollowsEveryCellAndItsPlace() throws {
        let normalizer = try normalizer()
        let base = digest(Self.row, normalizer)
        #expect(digest(Self.row, normalizer) == base)
        for index in Self.row.indices {
            var changed = Self.row
            changed[index] += " "
            #expect(digest(changed, normalizer) != base, "cell \(index)")
        }
        // A character moved from one cell to the next is a different row.
        var shifted = Self.row
        shifted[1] = "张"
        shifted[2] = "伟13800138000"
        #expect(digest(shifted, normalizer) != base)
    }

    @Test func theDigestFollowsTheMappingTheOptionsAndTheSecret() throws {
        let base = digest(Self.row, try normalizer())
        #expect(digest(Self.row, try normalizer(secret: "other")) != base)
        #expect(digest(Self.row, try normalizer(owner: "联系人")) != base)
        #expect(digest(Self.row, try normalizer(legacy: true)) != base)
        // 21/11/2026 reads only with a date order, and otherwise with another.
        #expect(digest(Self.row, try normalizer(dateOrder: .dmy)) != base)
        #expect(digest(Self.row, try normalizer(dateOrder: .mdy)) != digest(Self.row, try normalizer(dateOrder: .dmy)))
    }

    @Test func theFingerprintDoesNotHoldTheSecret() throws {
        let normalizer = try normalizer(secret: "s3cr3t-value")
        #expect(normalizer.fingerprint == (try self.normalizer(secret: "s3cr3t-value")).fingerprint)
        #expect(!String(normalizer.fingerprint).contains("s3cr3t"))
    }

    @Test(arguments: [
        Self.row,
        ["KH2", "王芳", "13900139000", "", "无", ""],
        [" KH3 ", "李雷", "", "91440300MA5FXT4K8N", "", "2026-11-21T10:00:00Z"],
        ["KH4", "韩梅梅", "13700137000", "", "—", "not a date"],
    ])
    func aSkippedRowGivesWhatNormalizingItWould(values: [String]) throws {
        let normalizer = try normalizer()
        let record = SourceRecord(locator: .line(2), values: values)
        let canonical = try normalizer.normalize(record).get()
        #expect(normalizer.sourceID(of: record) == canonical.sourceID)
        #expect(normalizer.updatedAt(of: record) == canonical.updatedAt)
        #expect(normalizer.owner(of: record) == canonical[.owner] ?? "")
    }

    /// A reject counts against the owner the row would have had: a placeholder is no owner,
    /// and a damaged row's readable cells give it when they reach the owner's column.
    @Test(arguments: [
        (["KH2", "王芳", "", "", "无", ""], ""), (["KH2", "王芳", "", "", " 李娜 ", ""], "李娜"),
        (["KH2", "王芳"], ""),
    ])
    func theOwnerOfARowsCells(values: [String], owner: String) throws {
        #expect(try normalizer().owner(in: values) == owner)
    }

    @Test func aCallWithoutAnUpdateTimeIsAsNewAsItsStart() throws {
        let header = ["call_id", "caller", "start_time"]
        let mapping = try FieldMapping(
            header: header, id: "call_id", updatedAt: nil, fields: [(.phone, "caller")],
            contactFields: [(.startedAt, "start_time")])
        var options = RecordNormalizer.Options()
        options.interactions = true
        let calls = RecordNormalizer(
            system: "callcenter", mapping: mapping, timestamps: Self.timestamps,
            keyer: CustomerKeyer(secret: [1]), addresses: AddressParser(), options: options)
        for values in [["CL1", "13800138000", "2026-10-25 20:52:56"], ["CL2", "13800138000", ""]] {
            let record = SourceRecord(locator: .line(2), values: values)
            #expect(calls.updatedAt(of: record) == (try calls.normalize(record).get()).updatedAt)
        }
        #expect(
            calls.updatedAt(of: SourceRecord(locator: .line(2), values: ["CL1", "13800138000", "2026-10-25 20:52:56"]))
                != nil)
    }
}
