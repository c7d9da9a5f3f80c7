import Transform

/// A master customer as a batch session holds it while merging a record into it: what the SQLite
/// and the PostgreSQL sessions both read from their store, merge through here, and write back.
/// Sharing this keeps the two stores' masters and change logs identical for the same input.
struct StoredCustomer {
    var master: MasterValues
    var updatedAt: String?
    /// The source systems that merged a record into it (sorted, comma-separated).
    var systems: String
    var phone: String?
    var taxID: String?

    /// `provenance` as stored: a customer read back compares as one the store wrote.
    init(
        values: [String?], provenance: some Collection<UInt8>, updatedAt: String?, systems: String, phone: String?, taxID: String?
    ) {
        master = MasterValues(values: values)
        master.provenance = Provenance.decode(provenance, count: SurvivingField.all.count)
        self.updatedAt = updatedAt
        self.systems = systems
        self.phone = phone
        self.taxID = taxID
    }

    /// A customer's columns as read from the store, in one buffer: what the pending pass's store
    /// thread hands its merging thread (`LinkedMerger`), which makes the strings.
    struct Row: Sendable {
        /// The master values in `MasterColumn` order, then `updated_at`, `systems`, the phone and
        /// the tax ID.
        var texts: PackedTexts
        var provenance: [UInt8]
    }

    init(_ row: Row) {
        var texts = row.texts.strings
        let taxID = texts.removeLast()
        let phone = texts.removeLast()
        let systems = texts.removeLast()
        let updatedAt = texts.removeLast()
        self.init(
            values: texts, provenance: row.provenance, updatedAt: updatedAt, systems: systems ?? "", phone: phone,
            taxID: taxID)
    }

    /// Its `presence_groups` group.
    var presence: PresenceGroup { PresenceGroup(phone: phone, taxID: taxID, values: master.values, systems: systems) }

    /// Applies survivorship: `record` merged in, its system added, `updated_at` moved forward (a
    /// contact never moves it). Returns the changed columns, or nil when the stored row needs no
    /// rewrite at all.
    mutating func merge(_ record: CanonicalRecord, batch: BatchInfo) -> [ColumnChange]? {
        let storedUpdatedAt = updatedAt
        let storedSystems = systems
        systems = Self.adding(record.sourceSystem, to: systems)
        let before = master.provenance
        let changes = batch.survivorship.merge(record, into: &master)
        let recordUpdatedAt = record.contactOnly ? nil : record.updatedAt.map(batch.timestamps.iso8601)
        updatedAt = [storedUpdatedAt, recordUpdatedAt].compactMap { $0 }.max()
        guard !changes.isEmpty || before != master.provenance || updatedAt != storedUpdatedAt || systems != storedSystems
        else { return nil }
        return changes
    }

    /// `systems` (sorted, comma-separated) with `system` in it. Split and compared as bytes, as
    /// the store compares names (and as the pipeline refuses a comma): splitting into Characters
    /// showed in the store thread's profile, once per merged record.
    static func adding(_ system: String, to systems: String) -> String {
        let names = systems.utf8.split(separator: UInt8(ascii: ","))
        guard !names.contains(where: { $0.elementsEqual(system.utf8) }) else { return systems }
        return (names.map { String(Substring($0)) } + [system]).sorted().joined(separator: ",")
    }
}

/// A stored customer with records merged in by survivorship, and what each changed: what
/// `SQLiteBatchSession.write` stores. Computed from values alone, so that the pending pass can
/// compute it on a thread of its own (`LinkedMerger`).
struct MergedCustomer {
    let customer: StoredCustomer
    /// Per record, in order: its changed columns; nil when it needs no rewrite at all.
    let changes: [[ColumnChange]?]
    let presenceBefore: PresenceGroup

    init(_ customer: StoredCustomer, merging records: some Collection<CanonicalRecord>, batch: BatchInfo) {
        var customer = customer
        presenceBefore = customer.presence
        var first = true
        changes = records.map { record in
            // Each record after the first meets the customer as the store would give it back, as
            // merging one at a time would: the stored provenance is one entry when the fields that
            // hold a value agree, and reads back as that entry for every field.
            if !first {
                customer.master.provenance = Provenance.decode(
                    customer.master.encodedProvenance, count: SurvivingField.all.count)
            }
            first = false
            return customer.merge(record, batch: batch)
        }
        self.customer = customer
    }

    /// Whether the customer row is to be written.
    var rewrite: Bool { changes.contains { $0 != nil } }
}
