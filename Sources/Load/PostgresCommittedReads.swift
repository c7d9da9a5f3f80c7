import Foundation

/// The store as the last committed batch left it, for a batch that waits for the store's lock
/// and reads ahead meanwhile. Its queries go through a connection of its own, outside the
/// waiting batch's transaction, so that the wait holds no lock on any table.
final class PostgresCommittedReads: CommittedReads {
    private let location: PostgresLocation
    private var connection: PostgresConnection?

    init(_ location: PostgresLocation) {
        self.location = location
    }

    func batchThatLoaded(system: String, sha256: String) throws -> String? {
        if connection == nil {
            let connection = try PostgresConnection(location)
            try connection.execute("SELECT set_config('search_path', $1, false)", ["\"\(location.schema)\""])
            self.connection = connection
        }
        return try PostgresStore.batchThatLoaded(connection!, system: system, sha256: sha256)
    }

    func rawDigestSnapshot(system: String) throws -> RawDigestSnapshot? {
        PostgresRawDigestSnapshot.open(location, system: system)
    }

    var chunksAhead: Int { PostgresBatchSession.chunksAhead }
}
