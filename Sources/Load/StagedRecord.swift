import Foundation
import Transform

/// A canonical record with everything the store derives from it alone computed up front: its
/// stored form, digest, timestamp text and, for a keyed record, the values of a new customer.
/// Staging runs on the reading thread, so the store's thread only binds and steps statements.
/// A class: records are handed between threads and reordered in chunks, and a struct of this
/// many strings costs a retain and a release for each of them at every copy.
public final class StagedRecord: Sendable {
    public let record: CanonicalRecord
    let encoded: String
    let digest: Int64
    let updatedAt: String?
    let key: [UInt8]?
    /// The customer this record would create on its own (values and provenance bytes).
    let initialValues: [String?]
    let initialProvenance: [UInt8]

    public init(_ record: CanonicalRecord, batch: BatchInfo) {
        self.record = record
        encoded = record.encoded
        digest = record.digest
        updatedAt = record.updatedAt.map(batch.timestamps.iso8601)
        key = record.key?.bytes
        if key != nil {
            var master = MasterValues()
            _ = batch.survivorship.merge(record, into: &master)
            initialValues = master.values
            initialProvenance = master.encodedProvenance
        } else {
            initialValues = []
            initialProvenance = []
        }
    }
}
