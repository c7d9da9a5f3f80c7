/// The ids a file has given so far, hashed, so that the reading thread can tell a repeat (which
/// keeps its source row: the first may have rewritten its stored row). A shared hash makes a
/// repeat of a new id, which only keeps one more source row.
///
/// Exports mostly list their ids in order. While every id sorts after the one before, none can
/// be a repeat and its hash is only appended; the first id out of order moves the hashes into a
/// set. A set from the start cost about a tenth of a re-run's first reading thread (its long
/// pole) in cache misses: one random probe of a table the size of the file a row.
struct SeenIDs {
    private var last: String?
    private var inOrder: [Int] = []
    private var set: Set<Int>?

    /// True the first time `id` comes (or its hash: see above).
    mutating func insert(_ id: String) -> Bool {
        let hash = id.hashValue
        if set == nil {
            if let last, !(last < id) {
                set = Set(inOrder)
                inOrder = []
            } else {
                inOrder.append(hash)
                last = id
                return true
            }
        }
        return set!.insert(hash).inserted
    }
}
