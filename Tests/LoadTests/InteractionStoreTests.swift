import Foundation
import Testing
import Transform

@testable import Load

/// Calls in the store: kept as interactions, linked by mobile or by a merged customer's landline,
/// moving `last_contact_at` forward only.
@Suite struct InteractionStoreTests {
    let tax = "91440300MA5FXT4K8N"
    let otherTax = "91110108MA01ABCD5T"

    func call(_ id: String, mobile: String? = nil, landline: String? = nil, at started: String) -> CanonicalRecord {
        var record = CanonicalRecord(sourceSystem: "callcenter", sourceID: id)
        record.mobile = mobile
        record[.landline] = landline
        var contact = Contact(channel: "call")
        contact.startedAt = try! TimestampParser(timeZone: shanghai).parse(started).get()
        contact.durationSeconds = 60
        contact.outcome = "已接通"
        record.contact = contact
        record.contactOnly = true
        record.updatedAt = contact.startedAt
        record[.lastContactAt] = TimestampParser(timeZone: shanghai).iso8601(contact.startedAt!)
        return record
    }

    @Test func callsLinkByMobileOrLandlineAndWaitOtherwise() throws {
        let store = try temporaryStore()
        let resolution = try store.withBatch(batch()) { session in
            _ = try session.merge(
                customer(
                    "crm", "KH1", mobile: "+8613800138000", taxID: tax,
                    [.landline: "+8675588886666", .lastContactAt: "2026-11-01T00:00:00+08:00"]))
            _ = try session.merge(customer("crm", "KH2", mobile: "+8613900139000", taxID: otherTax))
            for record in [
                call("CL1", mobile: "+8613800138000", at: "2026-11-20 09:00:00"),
                call("CL2", landline: "+8675588886666", at: "2026-11-21 10:30:00"),
                call("CL3", mobile: "+8618600000000", at: "2026-11-21 11:00:00"),
                call("CL4", landline: "+862188889999", at: "2026-11-21 12:00:00"),
                call("CL5", mobile: "+8613900139000", at: "2026-10-01 08:00:00"),
            ] {
                #expect(try session.merge(record) == .pending)
            }
            return try session.resolvePending()
        }
        #expect(resolution.bySystem["callcenter"]?.linkedFromBatch == 3)
        #expect(resolution.bySystem["callcenter"]?.unmatched == 2)

        let xref = Dictionary(uniqueKeysWithValues: try rows(store, .xref).map { ($0["source_id"]!, $0) })
        #expect(xref["CL1"]?["link"] == "phone")
        #expect(xref["CL2"]?["link"] == "landline")
        #expect(xref["CL3"]?["state"] == "pending")
        #expect(xref["CL4"]?["link"] == "unmatched")
        #expect(xref["CL2"]?["customer_key"] == xref["KH1"]?["customer_key"])

        let master = Dictionary(uniqueKeysWithValues: try rows(store, .master).map { ($0["phone_e164"]!, $0) })
        // The later of the two calls; the CRM's older date never wins back. A call is no change of
        // the customer's own data: updated_at stays the CRM record's.
        #expect(master["+8613800138000"]?["last_contact_at"] == "2026-11-21T10:30:00+08:00")
        #expect(master["+8613800138000"]?["updated_at"] == "2025-11-21T12:40:00+08:00")
        #expect(master["+8613900139000"]?["last_contact_at"] == "2026-10-01T08:00:00+08:00")

        let calls = try rows(store, .interactions)
        #expect(calls.map { $0["source_id"] } == ["CL1", "CL2", "CL3", "CL4", "CL5"])
        #expect(calls[1]["phone_e164"] == "+8675588886666")
        #expect(calls[1]["customer_key"] == xref["KH1"]?["customer_key"])
        #expect(calls[2]["customer_key"] == "")
        #expect(calls[0]["duration_s"] == "60")
        #expect(calls[0]["started_at"] == "2026-11-20T09:00:00+08:00")
    }

    @Test func anOlderCallNeverMovesLastContactBack() throws {
        let store = try temporaryStore()
        try store.withBatch(batch()) { session in
            _ = try session.merge(
                customer(
                    "crm", "KH1", mobile: "+8613800138000", taxID: tax,
                    [.lastContactAt: "2026-11-15T00:00:00+08:00"]))
            _ = try session.merge(call("CL1", mobile: "+8613800138000", at: "2026-11-02 09:00:00"))
            _ = try session.resolvePending()
        }
        #expect(try rows(store, .master)[0]["last_contact_at"] == "2026-11-15T00:00:00+08:00")
    }

    @Test func aStrangersCallLinksWhenALaterBatchBringsTheCustomer() throws {
        let store = try temporaryStore()
        try store.withBatch(batch()) { session in
            _ = try session.merge(call("CL1", mobile: "+8613800138000", at: "2026-11-20 09:00:00"))
            _ = try session.resolvePending()
        }
        let resolution = try store.withBatch(batch()) { session in
            _ = try session.merge(customer("crm", "KH1", mobile: "+8613800138000", taxID: tax))
            return try session.resolvePending()
        }
        #expect(resolution.bySystem["callcenter"]?.linkedFromEarlier == 1)
        #expect(try rows(store, .master)[0]["last_contact_at"] == "2026-11-20T09:00:00+08:00")
        #expect(try rows(store, .interactions)[0]["state"] == "merged")
    }

    @Test func aLandlineBroughtByALinkedRecordLinksACallOfTheSameBatch() throws {
        let store = try temporaryStore()
        try store.withBatch(batch()) { session in
            _ = try session.merge(customer("erp", "E1", mobile: "+8613800138000", taxID: tax))
            // Tax ID only: linked in resolvePending, which adds its landline; "callcenter" sorts
            // before "crm", so the call must wait for the customer records' pass.
            _ = try session.merge(customer("crm", "KH9", mobile: nil, taxID: tax, [.landline: "+8675766778899"]))
            _ = try session.merge(call("CL1", landline: "+8675766778899", at: "2026-11-21 10:30:00"))
            _ = try session.resolvePending()
        }
        let xref = Dictionary(uniqueKeysWithValues: try rows(store, .xref).map { ($0["source_id"]!, $0) })
        #expect(xref["KH9"]?["link"] == "tax_id")
        #expect(xref["CL1"]?["link"] == "landline")
        #expect(xref["CL1"]?["customer_key"] == xref["E1"]?["customer_key"])
    }
}
