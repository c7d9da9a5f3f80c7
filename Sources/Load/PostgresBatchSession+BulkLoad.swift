/// A first load's lookup indexes. Each customer a batch creates puts its phone and tax ID into
/// an index at a random place; in a first load those inserts are a good part of the server's
/// work. Once a batch that found no customer has created `bulkLoadMinimum`, they are dropped
/// (inside its transaction: a failed batch gets them back) and built again by one sort each
/// before the pending pass, their only reader. Until the batch commits, other sessions' reads
/// of `customers` wait for it instead of finding the table empty.
extension PostgresBatchSession {
    /// The indexes as migration v1 made them.
    static let lookupIndexes = [
        ("customers_phone", "CREATE INDEX customers_phone ON customers(phone_e164)"),
        ("customers_tax_id", "CREATE INDEX customers_tax_id ON customers(tax_id)"),
    ]

    enum LookupIndexes {
        case built, dropped
        /// Built again: a batch drops them once.
        case rebuilt
    }

    func deferLookupsIfBulk() throws(StoreError) {
        guard noCustomersAtStart, lookups == .built, createdCount >= bulkLoadMinimum else { return }
        try connection.execute("DROP INDEX " + Self.lookupIndexes.map(\.0).joined(separator: ", "))
        lookups = .dropped
    }

    func restoreLookups() throws(StoreError) {
        guard lookups == .dropped else { return }
        let started = ContinuousClock.now
        defer { indexRebuildSeconds += (ContinuousClock.now - started).inSeconds }
        try connection.execute(Self.lookupIndexes.map(\.1).joined(separator: ";\n"))
        lookups = .rebuilt
    }
}
