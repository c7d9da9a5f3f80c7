import Foundation
import Transform

/// A canonical record with what the store derives from it alone computed up front, on the
/// reading thread: its stored form, digest and timestamp text. (The values of a new customer are
/// left to the store: most records of a nightly run are unchanged and never need them.)
/// A class: records are handed between threads and reordered in chunks, and a struct of this
/// many strings costs a retain and a release for each of them at every copy.
public final class StagedRecord: Sendable {
    public let record: CanonicalRecord
    let encoded: String
    let digest: Int64
    let updatedAt: String?
    let key: [UInt8]?
    /// The digest of the source row it came from (`RecordNormalizer.rawDigest`), when known.
    let rawDigest: Int64?

    public init(_ record: CanonicalRecord, batch: BatchInfo, rawDigest: Int64? = nil) {
        self.record = record
        self.rawDigest = rawDigest
        encoded = record.encoded
        digest = record.digest
        updatedAt = record.updatedAt.map(batch.timestamps.iso8601)
        key = record.key?.bytes
    }
}
