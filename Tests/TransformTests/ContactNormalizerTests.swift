import Extract
import Foundation
import Testing

@testable import Transform

/// Interaction sources (calls) and customer sources whose rows are also contacts (forms).
@Suite struct ContactNormalizerTests {
    static let header = ["call_id", "caller", "called", "start_time", "duration_s", "agent_id", "disposition"]
    static let timestamps = TimestampParser(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    func calls() throws -> RecordNormalizer {
        let mapping = try FieldMapping(
            header: Self.header, id: "call_id", updatedAt: nil, fields: [(.phone, "caller")],
            contactFields: [
                (.called, "called"), (.startedAt, "start_time"), (.durationSeconds, "duration_s"),
                (.agent, "agent_id"), (.outcome, "disposition"),
            ])
        var options = RecordNormalizer.Options()
        options.interactions = true
        return RecordNormalizer(
            system: "callcenter", mapping: mapping, timestamps: Self.timestamps,
            keyer: CustomerKeyer(secret: [1]), addresses: AddressParser(), options: options)
    }

    func call(_ values: [String]) throws -> Result<CanonicalRecord, Rejection> {
        try calls().normalize(SourceRecord(locator: .line(2), values: values))
    }

    @Test func aCallFromAMobileIsAContactAtItsStart() throws {
        let record = try call(["CL1", "013800138000", "400-612-3456", "2026-10-25 20:52:56", "876", "A1035", "已接通"]).get()
        #expect(record.mobile == "+8613800138000")
        #expect(record.key == nil)
        #expect(record[.lastContactAt] == "2026-10-25T20:52:56+08:00")
        #expect(record.updatedAt == record.contact?.startedAt)
        #expect(
            record.contact
                == {
                    var contact = Contact(channel: "callcenter")
                    contact.startedAt = Self.timestamps.parse("2026-10-25 20:52:56").value
                    contact.durationSeconds = 876
                    contact.agent = "A1035"
                    contact.outcome = "已接通"
                    contact.called = "400-612-3456"
                    return contact
                }())
    }

    @Test func aCallFromALandlineIsAcceptedAndNeverKeys() throws {
        let record = try call(["CL2", "(0755)8888-6666", "4006123456", "2026-11-20 09:00:00", "", "", ""]).get()
        #expect(record.mobile == nil)
        #expect(record[.landline] == "+8675588886666")
        #expect(record.key == nil)
    }

    @Test(arguments: ["", "anonymous", "未知", "138OO138000"])
    func aWithheldOrInvalidCallerCannotLink(caller: String) throws {
        guard case .failure(let rejection) = try call(["CL3", caller, "4006123456", "2026-11-20 09:00:00", "12", "A1", "未接"])
        else { Issue.record("expected a rejection"); return }
        #expect(rejection.reason == .noIdentifier)
        #expect(rejection.sourceID == "CL3")
    }

    @Test func aBadDurationIsRefusedNotFatal() throws {
        let record = try call(["CL4", "13800138000", "", "2026-11-20 09:00:00", "五分钟", "", ""]).get()
        #expect(record.contact?.durationSeconds == nil)
        #expect(record.refusals.contains(FieldRefusal(field: "duration_s", reason: "not_a_number")))
    }

    @Test func aFormOfAContactSourceMovesLastContactToItsUpdate() throws {
        let header = ["id", "mobile", "submittedAt", "lastVisit"]
        let mapping = try FieldMapping(
            header: header, id: "id", updatedAt: "submittedAt",
            fields: [(.phone, "mobile"), (.lastContactAt, "lastVisit")])
        var options = RecordNormalizer.Options()
        options.contactChannel = "web_form"
        let forms = RecordNormalizer(
            system: "web", mapping: mapping, timestamps: Self.timestamps,
            keyer: CustomerKeyer(secret: [1]), addresses: AddressParser(), options: options)
        let newer = try forms.normalize(
            SourceRecord(
                locator: .line(1),
                values: [
                    "W1", "13800138000", "2026-11-21T10:00:00Z", "2026-11-01",
                ])
        ).get()
        #expect(newer.contact?.channel == "web_form")
        #expect(newer[.lastContactAt] == "2026-11-21T18:00:00+08:00")
        // An older submission never moves a later contact date back.
        let older = try forms.normalize(
            SourceRecord(
                locator: .line(2),
                values: [
                    "W2", "13800138000", "2026-10-01T10:00:00+08:00", "2026-11-01",
                ])
        ).get()
        #expect(older[.lastContactAt] == "2026-11-01T00:00:00+08:00")
    }

    @Test func aRecordWithAnIDAndNothingElseIsEmpty() throws {
        guard case .failure(let rejection) = try call(["CL5", " ", "", "", "", "", ""]) else {
            Issue.record("expected a rejection"); return
        }
        #expect(rejection.reason == .emptyRow)
    }
}

extension Result {
    var value: Success? { try? get() }
}
