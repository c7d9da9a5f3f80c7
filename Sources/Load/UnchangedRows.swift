/// The source rows a batch has found unchanged, so that a second identical record of one is a
/// duplicate, as it is when the batch writes the row. (Found by `make bench-world`: a `--force`
/// re-run merged the repeats that the first load had rejected.)
///
/// 64-bit hashes rather than the ids: 8 bytes a row, where a nightly run finds most of a million
/// rows unchanged. Two ids of a million-row batch share a hash about once in 30 million batches.
struct UnchangedRows {
    private var hashes: Set<UInt64> = []

    /// True the first time the batch finds this row unchanged.
    mutating func insert(_ row: RowHash) -> Bool {
        hashes.insert(row.value).inserted
    }

    mutating func insert(_ system: String, _ sourceID: String) -> Bool { insert(RowHash(system, sourceID)) }
}
