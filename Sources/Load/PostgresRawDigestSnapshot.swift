import Foundation

/// The PostgreSQL store's `RawDigestSnapshot`: the stored raw digests of one source system's
/// rows, read on the reading thread through a connection of its own in one `REPEATABLE READ`
/// read-only transaction. It sees the store as the last committed batch left it: the running
/// batch's writes belong to its own transaction, invisible here. The batch confirms each row it
/// reports unchanged against its own writes, as with SQLite.
///
/// Exports list their ids in order, so a look-up is answered from a block of the system's rows
/// from some id on, in the store's order (`COLLATE "C"`: bytes, then length); an id past the
/// block fetches the block from it, in one round trip, unless the block after, asked for as soon
/// as the last came, holds it. Blocks grow while the ids go forward and start small again when
/// one lies behind. Should the ids come in no order, so that most
/// look-ups cost a round trip, the snapshot gives up: its rows are normalized as new ones.
final class PostgresRawDigestSnapshot: RawDigestSource {
    private var connection: PostgresConnection?
    private let system: String
    /// The last batch committed when the snapshot was taken: it sees that batch's writes and
    /// none after (`PostgresBatchSession.isCurrent`).
    let lastBatch: Int64
    /// `source_id, raw_digest, pending` of the stored rows from `from` on, at most `limit`.
    private var block: PostgresResult
    private var from: [UInt8]
    private var limit = minimumBlock
    /// The start and limit of the block after `block`, asked for as `block` came (it was full):
    /// the server reads it while the reading thread works through this one.
    private var asked: (from: [UInt8], limit: Int)?
    private var lookUps = 0
    private var fetches = 0

    private static let minimumBlock = 256
    private static let maximumBlock = 16_384

    /// nil when the store holds no row of `system`, or cannot be read on a second connection
    /// (the batch then normalizes every row, as it would without a snapshot).
    static func open(_ location: PostgresLocation, system: String) -> RawDigestSnapshot? {
        do {
            let connection = try PostgresConnection(location)
            try connection.execute("SELECT set_config('search_path', $1, false)", ["\"\(location.schema)\""])
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            // Rows just loaded have no statistics yet (autovacuum has not analyzed them): the
            // planner then guesses a few thousand and reads them all, by a bitmap scan and a
            // sort, for every block. In the index's order a block of 16,384 took 14 ms, not 2.1 s
            // (1M rows). This connection runs nothing else.
            try connection.execute("SET LOCAL enable_sort = off")
            let lastBatch = Int64(try connection.execute("SELECT coalesce(max(id), 0) FROM batches")[0, 0] ?? "") ?? 0
            let snapshot = try PostgresRawDigestSnapshot(connection, system: system, lastBatch: lastBatch)
            guard snapshot.block.rows > 0 else {
                snapshot.close()
                return nil
            }
            return RawDigestSnapshot(snapshot)
        } catch {
            return nil
        }
    }

    private init(_ connection: PostgresConnection, system: String, lastBatch: Int64) throws(StoreError) {
        self.connection = connection
        self.system = system
        self.lastBatch = lastBatch
        from = []
        block = try Self.fetch(connection, system: system, from: "", limit: Self.minimumBlock)
    }

    deinit { close() }

    func stored(_ sourceID: String) -> (rawDigest: Int64, pending: Bool)? {
        guard let connection else { return nil }
        lookUps += 1
        var utf8 = sourceID
        return utf8.withUTF8 { wanted -> (rawDigest: Int64, pending: Bool)? in
            let wanted = UnsafeRawBufferPointer(wanted)
            let rows = block.rows
            let behind = RawDigestSnapshot.compare(wanted, from) < 0
            // The block holds every stored id from `from` to its last row; a block shorter than
            // its limit, every one from `from` on.
            if !behind, rows < limit || RawDigestSnapshot.compare(wanted, block.text(rows - 1, 0)) <= 0 {
                return find(wanted)
            }
            fetches += 1
            if fetches > 64, fetches * 8 > lookUps {
                close()
                return nil
            }
            do {
                if let asked {
                    self.asked = nil
                    let next = try connection.receive(Self.blockQuery)
                    let covers =
                        !behind
                        && (next.rows < asked.limit || RawDigestSnapshot.compare(wanted, next.text(next.rows - 1, 0)) <= 0)
                    if covers {
                        install(next, from: asked.from, limit: asked.limit)
                        return find(wanted)
                    }
                }
                let limit = behind ? Self.minimumBlock : min(limit * 2, Self.maximumBlock)
                install(
                    try Self.fetch(connection, system: system, from: sourceID, limit: limit), from: Array(wanted), limit: limit)
            } catch {
                close()
                return nil
            }
            return find(wanted)
        }
    }

    /// Takes `rows` as the block, and asks for the next one when it is full.
    private func install(_ rows: PostgresResult, from: [UInt8], limit: Int) {
        block = rows
        self.from = from
        self.limit = limit
        guard let connection, rows.rows == limit else { return }
        let last = rows.text(rows.rows - 1, 0)
        let next = min(limit * 2, Self.maximumBlock)
        let parameters = [system, String(decoding: last, as: UTF8.self), String(next)]
        guard (try? connection.send(Self.blockQuery, parameters)) != nil else { return }
        asked = (Array(last), next)
    }

    /// Ends the read transaction and the connection.
    func close() {
        if asked != nil { _ = try? connection?.receive(Self.blockQuery) }
        asked = nil
        _ = try? connection?.execute("COMMIT")
        connection = nil
    }

    /// The row of `wanted` in the block, by binary search.
    private func find(_ wanted: UnsafeRawBufferPointer) -> (rawDigest: Int64, pending: Bool)? {
        var low = 0
        var high = block.rows
        while low < high {
            let middle = (low + high) / 2
            let order = RawDigestSnapshot.compare(block.text(middle, 0), wanted)
            if order == 0 {
                guard !block.isNull(middle, 1), let digest = Self.integer(block.text(middle, 1)) else { return nil }
                let pending = block.text(middle, 2).first == UInt8(ascii: "t")
                return (digest, pending)
            }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// `source_id, raw_digest, pending` from `$2` on, at most `$3` rows.
    private static let blockQuery = """
        SELECT source_id, raw_digest, state = 'pending' FROM xref WHERE source_system = $1 AND source_id >= $2
        ORDER BY source_id LIMIT $3
        """

    private static func fetch(_ connection: PostgresConnection, system: String, from: String, limit: Int)
        throws(StoreError) -> PostgresResult
    {
        try connection.execute(blockQuery, [system, from, String(limit)])
    }

    /// A decimal integer in text form.
    private static func integer(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard !text.isEmpty else { return nil }
        var value: Int64 = 0
        var negative = false
        for (index, byte) in text.enumerated() {
            if index == 0, byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            // Accumulated negatively, so that Int64.min reads too.
            value = value &* 10 &- Int64(byte &- UInt8(ascii: "0"))
        }
        return negative ? value : 0 &- value
    }
}
