import Foundation
import Transform

/// A canonical record with what the store derives from it alone computed up front, on the
/// reading thread: its stored form, digest, timestamp text and, for a keyed record, the
/// customer it makes should its key be new. (Rows of a nightly run that are unchanged are not
/// staged at all: see `RawDigestSnapshot`.)
/// A class: records are handed between threads and reordered in chunks, and a struct of this
/// many strings costs a retain and a release for each of them at every copy.
package final class StagedRecord: Sendable {
    package let record: CanonicalRecord
    /// `CanonicalRecord.encoded`, as UTF-8.
    let encoded: [UInt8]
    let digest: Int64
    let updatedAt: String?
    let key: [UInt8]?
    /// The digest of the source row it came from (`RecordNormalizer.rawDigest`), when known.
    let rawDigest: Int64?
    let rowHash: RowHash
    /// The master values, encoded provenance and presence group of a customer made from this
    /// record alone.
    typealias Initial = (values: PackedTexts, provenance: [UInt8], presence: PresenceGroup)
    let initial: Initial?

    package init(_ record: CanonicalRecord, batch: BatchInfo, rawDigest: Int64? = nil) {
        self.rawDigest = rawDigest
        encoded = record.encodedUTF8
        rowHash = RowHash(record.sourceSystem, record.sourceID)
        digest = record.digest
        updatedAt = record.updatedAt.map(batch.timestamps.iso8601)
        key = record.key?.bytes
        if key != nil {
            let master = batch.survivorship.initial(record)
            let presence = PresenceGroup(
                phone: record.mobile, taxID: record.taxID, values: master.values,
                systems: record.sourceSystem)
            initial = (PackedTexts(master.values), master.encodedProvenance, presence)
        } else {
            initial = nil
        }
        // Last: stored before its other uses, the record was copied (a retain and a release of
        // each of its strings).
        self.record = record
    }
}
