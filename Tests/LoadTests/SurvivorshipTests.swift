import Foundation
import Testing
import Transform

@testable import Load

func record(_ system: String, _ id: String, updatedAt: TimeInterval?, _ values: [MasterColumn: String]) -> CanonicalRecord {
    var record = CanonicalRecord(sourceSystem: system, sourceID: id)
    record.updatedAt = updatedAt.map { Date(timeIntervalSince1970: $0) }
    for (column, value) in values { record[column] = value }
    return record
}

@Suite struct SurvivorshipTests {
    let rules = Survivorship()

    @Test(arguments: [Survivorship(), Survivorship(priority: [.owner: ["erp", "crm"], .address: ["crm"]])])
    func aNewCustomerIsWhatMergingIntoNothingGives(rules: Survivorship) {
        let records = [
            record("crm", "1", updatedAt: 100, [.owner: "张强", .industry: "制造业", .province: "广东省", .city: "深圳市"]),
            record("crm", "2", updatedAt: nil, [.name: "李娜", .lastContactAt: "2026-11-01T00:00:00+08:00"]),
            record("erp", "3", updatedAt: 200, [.owner: "王芳", .createdAt: "2020-01-01T00:00:00+08:00", .notes: "x"]),
            record("web", "4", updatedAt: 300, [:]),
        ]
        for record in records {
            var merged = MasterValues()
            _ = rules.merge(record, into: &merged)
            let initial = rules.initial(record)
            #expect(initial.values == merged.values)
            #expect(initial.provenance == merged.provenance)
        }
    }

    /// `initial` takes a record's values whole, which holds only while every master column
    /// belongs to a surviving field: a column outside them would reach a new customer, and never
    /// one it is merged into.
    @Test func everyMasterColumnBelongsToASurvivingField() {
        for column in MasterColumn.allCases {
            #expect(SurvivingField.all.contains(column.field), "\(column.name)")
        }
        var full = record("crm", "1", updatedAt: 100, [:])
        for column in MasterColumn.allCases { full[column] = "值\(column.rawValue)" }
        var merged = MasterValues()
        _ = rules.merge(full, into: &merged)
        #expect(rules.initial(full).values == merged.values)
    }

    /// Records merged into a customer together (the pending pass's jobs) give what merging them
    /// one at a time gives, the customer written and read back in between: its provenance too,
    /// which the store keeps as one entry while the fields that hold a value agree.
    @Test func mergingRecordsTogetherIsMergingThemOneAtATime() {
        func stored(_ customer: StoredCustomer) -> StoredCustomer {
            StoredCustomer(
                values: customer.master.values, provenance: customer.master.encodedProvenance,
                updatedAt: customer.updatedAt, systems: customer.systems, phone: customer.phone, taxID: customer.taxID)
        }
        var values = MasterValues().values
        values[MasterColumn.name.rawValue] = "张强"
        let first = StoredCustomer(
            values: values, provenance: Provenance.encode([Provenance(rank: 0, time: 100)]), updatedAt: nil,
            systems: "crm", phone: "+8613800138000", taxID: "91440300MA5FXT4K8N")
        // The first record replaces the only value (one provenance entry again); the second fills
        // an empty field (one entry per field).
        let records = [record("crm", "1", updatedAt: 200, [.name: "李娜"]), record("erp", "2", updatedAt: 300, [.owner: "王芳"])]
        let info = batch()
        let together = MergedCustomer(first, merging: records, batch: info)
        var oneByOne = first
        var changes: [[ColumnChange]?] = []
        for record in records {
            let merged = MergedCustomer(oneByOne, merging: [record], batch: info)
            changes += merged.changes
            oneByOne = stored(merged.customer)
        }
        #expect(together.customer.master.values == oneByOne.master.values)
        #expect(together.customer.master.encodedProvenance == oneByOne.master.encodedProvenance)
        #expect(together.changes.map { $0?.count } == changes.map { $0?.count })
    }

    /// A customer's systems stay sorted and listed once, compared byte for byte.
    @Test func aSystemIsAddedToTheSortedListOnce() {
        #expect(StoredCustomer.adding("crm", to: "") == "crm")
        #expect(StoredCustomer.adding("erp", to: "crm,web") == "crm,erp,web")
        #expect(StoredCustomer.adding("web", to: "crm,erp,web") == "crm,erp,web")
        #expect(StoredCustomer.adding("客服", to: "crm") == "crm,客服")
        // "é" and "e" with a combining accent are equal Strings, and different names in the store.
        #expect(StoredCustomer.adding("e\u{301}", to: "\u{E9}") == "\u{E9},e\u{301}")
    }

    @Test func theLatestNonEmptyValueWins() {
        var master = MasterValues()
        _ = rules.merge(record("crm", "1", updatedAt: 100, [.owner: "张强", .industry: "制造业"]), into: &master)
        let changes = rules.merge(record("erp", "9", updatedAt: 200, [.owner: "李娜"]), into: &master)
        #expect(master.values[MasterColumn.owner.rawValue] == "李娜")
        #expect(master.values[MasterColumn.industry.rawValue] == "制造业", "an empty value never erases")
        #expect(changes == [ColumnChange(column: .owner, old: "张强", new: "李娜")])
    }

    @Test func anOlderValueDoesNotOverwriteANewerOne() {
        var master = MasterValues()
        _ = rules.merge(record("crm", "1", updatedAt: 200, [.owner: "张强"]), into: &master)
        let changes = rules.merge(record("crm", "2", updatedAt: 100, [.owner: "李娜"]), into: &master)
        #expect(master.values[MasterColumn.owner.rawValue] == "张强")
        #expect(changes.isEmpty)
    }

    @Test func aRowWithoutUpdatedAtOnlyFillsEmptyFields() {
        var master = MasterValues()
        _ = rules.merge(record("crm", "1", updatedAt: 100, [.owner: "张强"]), into: &master)
        _ = rules.merge(record("web", "w", updatedAt: nil, [.owner: "李娜", .industry: "教育"]), into: &master)
        #expect(master.values[MasterColumn.owner.rawValue] == "张强")
        #expect(master.values[MasterColumn.industry.rawValue] == "教育")
    }

    @Test func aPipelinePriorityBeatsRecency() {
        let ranked = Survivorship(priority: [.owner: ["crm", "erp"]])
        var master = MasterValues()
        _ = ranked.merge(record("crm", "1", updatedAt: 100, [.owner: "张强"]), into: &master)
        _ = ranked.merge(record("erp", "9", updatedAt: 500, [.owner: "李娜"]), into: &master)
        #expect(master.values[MasterColumn.owner.rawValue] == "张强")
        _ = ranked.merge(record("crm", "2", updatedAt: 50, [.owner: "王磊"]), into: &master)
        #expect(master.values[MasterColumn.owner.rawValue] == "张强", "same rank: the older crm value loses")
    }

    @Test func lastContactOnlyMovesForward() {
        var master = MasterValues()
        _ = rules.merge(record("crm", "1", updatedAt: 100, [.lastContactAt: "2026-11-20T00:00:00+08:00"]), into: &master)
        _ = rules.merge(record("crm", "2", updatedAt: 900, [.lastContactAt: "2026-10-01T00:00:00+08:00"]), into: &master)
        #expect(master.values[MasterColumn.lastContactAt.rawValue] == "2026-11-20T00:00:00+08:00")
    }

    @Test func theAddressSurvivesAsOneValue() {
        var master = MasterValues()
        _ = rules.merge(
            record(
                "crm", "1", updatedAt: 100,
                [.province: "广东省", .city: "深圳市", .district: "南山区", .addressDetail: "科技园"]), into: &master)
        _ = rules.merge(
            record("erp", "9", updatedAt: 200, [.province: "广东省", .city: "广州市", .district: "天河区"]),
            into: &master)
        #expect(master.values[MasterColumn.city.rawValue] == "广州市")
        #expect(master.values[MasterColumn.addressDetail.rawValue] == nil, "no detail mixed in from the older address")
    }

    @Test func aLessResolvedAddressDoesNotReplaceADistrict() {
        var master = MasterValues()
        _ = rules.merge(
            record(
                "crm", "1", updatedAt: 100,
                [.province: "广东省", .city: "深圳市", .district: "南山区", .addressDetail: "科技园"]), into: &master)
        _ = rules.merge(record("web", "w", updatedAt: 200, [.province: "广东省", .city: "深圳市"]), into: &master)
        #expect(master.values[MasterColumn.district.rawValue] == "南山区")
        _ = rules.merge(
            record(
                "erp", "9", updatedAt: 300,
                [.province: "广东省", .city: "广州市", .district: "天河区"]), into: &master)
        #expect(master.values[MasterColumn.district.rawValue] == "天河区", "a newer address as deep wins")
    }

    @Test func anOlderAddressThatRefinesTheHeldOneFillsInTheDistrict() {
        var master = MasterValues()
        _ = rules.merge(record("web", "w", updatedAt: 200, [.province: "广东省", .city: "汕头市"]), into: &master)
        _ = rules.merge(
            record(
                "crm", "1", updatedAt: 100,
                [
                    .province: "广东省", .city: "汕头市", .district: "濠江区",
                    .addressDetail: "海旁路1号",
                ]), into: &master)
        #expect(master.values[MasterColumn.district.rawValue] == "濠江区")
        #expect(master.values[MasterColumn.addressDetail.rawValue] == "海旁路1号")
        // An older, deeper address of another city does not.
        _ = rules.merge(
            record("erp", "9", updatedAt: 50, [.province: "广东省", .city: "广州市", .district: "天河区"]),
            into: &master)
        #expect(master.values[MasterColumn.city.rawValue] == "汕头市")
    }

    @Test func provenanceRoundTrips() {
        let items = [Provenance(rank: 0, time: 1_763_700_000), Provenance(rank: 3, time: Provenance.unknownTime)]
        #expect(Provenance.decode(Provenance.encode(items), count: 2) == items)
    }
}
