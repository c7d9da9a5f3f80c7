import CLibPQ
import Foundation

/// One libpq connection, used synchronously as the SQLite store uses SQLite's C API: text
/// parameters and text results, one statement at a time. Every error names the store by its
/// masked URL; libpq's own messages never hold the password.
final class PostgresConnection {
    let location: PostgresLocation
    private var handle: OpaquePointer?

    /// Connects; `PG*` environment variables and `~/.pgpass` apply as for any libpq client.
    init(_ location: PostgresLocation) throws(StoreError) {
        self.location = location
        // The URL's own parameters override these defaults (they come after them).
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = ["10", "crmbridge", location.connection]
        handle = Self.withCStrings(keywords) { keywords in
            Self.withCStrings(values) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(handle)
            self.handle = nil
            throw StoreError(
                .cannotOpen,
                "cannot connect to the store \(location.masked): \(message) (check the host, the role and its password: "
                    + "PGPASSWORD or ~/.pgpass)")
        }
        // Notices (a schema that exists already) are not the user's business.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// Runs one statement with text parameters (nil: NULL) and returns its result. Without
    /// parameters `sql` may hold several statements (the result is the last one's).
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(StoreError) -> PostgresResult {
        guard !parameters.isEmpty else { return try check(PQexec(handle, sql), sql) }
        let result = Self.withParameters(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try check(result, sql)
    }

    /// Runs statements with text parameters in one round trip (libpq's pipeline mode) and
    /// returns their results in order. The first failure is thrown once every result is read;
    /// the statements after it did not run.
    func executeAll(_ statements: [(sql: String, parameters: [String?])]) throws(StoreError) -> [PostgresResult] {
        guard statements.count > 1 else { return try statements.map { s throws(StoreError) in try execute(s.sql, s.parameters) } }
        guard PQenterPipelineMode(handle) == 1 else { throw failure(statements[0].sql, nil) }
        defer { PQexitPipelineMode(handle) }
        for statement in statements {
            let sent = Self.withParameters(statement.parameters) { values in
                PQsendQueryParams(handle, statement.sql, Int32(statement.parameters.count), nil, values, nil, nil, 0)
            }
            guard sent == 1 else { throw failure(statement.sql, nil) }
        }
        guard PQpipelineSync(handle) == 1 else { throw failure(statements[0].sql, nil) }
        var results: [PostgresResult] = []
        var failed: StoreError?
        var index = 0
        // Each statement's result, then nil; at the end the sync's.
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                PQclear(result)
                break
            }
            let sql = statements[min(index, statements.count - 1)].sql
            index += 1
            switch status {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK: results.append(PostgresResult(result))
            case PGRES_PIPELINE_ABORTED: PQclear(result)
            default: if failed == nil { failed = failure(sql, result) } else { PQclear(result) }
            }
            // The nil that ends this statement's results.
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        if let failed { throw failed }
        guard results.count == statements.count else { throw failure(statements[0].sql, nil) }
        return results
    }

    /// Streams the rows of a query one at a time (libpq's single-row mode): an export of a
    /// million customers holds one row in memory, not all of them.
    func stream(_ sql: String, _ parameters: [String?] = [], _ body: (PostgresResult) throws -> Void) throws {
        let sent = Self.withParameters(parameters) { values in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(sql, nil) }
        PQsetSingleRowMode(handle)
        var failed: (any Error)?
        while let result = PQgetResult(handle) {
            // After a failure the rest is drained, so that the connection is ready for the next statement.
            guard failed == nil else { PQclear(result); continue }
            do {
                let checked = try check(result, sql)
                if checked.rows > 0 { try body(checked) }
            } catch {
                failed = error
            }
        }
        if let failed { throw failed }
    }

    /// Sends a query without waiting for it: the server runs it while the caller works on. The
    /// connection takes no other statement till `receive` has read its result.
    func send(_ sql: String, _ parameters: [String?]) throws(StoreError) {
        let sent = Self.withParameters(parameters) { values in
            PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(sql, nil) }
    }

    /// The result of the query `send` sent.
    func receive(_ sql: String) throws(StoreError) -> PostgresResult {
        var first: OpaquePointer?
        while let result = PQgetResult(handle) {
            if first == nil { first = result } else { PQclear(result) }
        }
        return try check(first, sql)
    }

    /// Sends `data` (COPY's text format) to a `COPY … FROM STDIN` statement.
    func copy(_ sql: String, _ data: [UInt8]) throws(StoreError) {
        guard let start = PQexec(handle, sql), PQresultStatus(start) == PGRES_COPY_IN else {
            throw failure(sql, PQexec(handle, ""))
        }
        PQclear(start)
        let sent = data.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                PQputCopyData(handle, $0, Int32(bytes.count))
            }
        }
        guard sent == 1, PQputCopyEnd(handle, nil) == 1 else { throw failure(sql, nil) }
        var failed: StoreError?
        while let result = PQgetResult(handle) {
            if failed == nil, PQresultStatus(result) != PGRES_COMMAND_OK {
                failed = failure(sql, result)
            } else {
                PQclear(result)
            }
        }
        if let failed { throw failed }
    }

    private func check(_ result: OpaquePointer?, _ sql: String) throws(StoreError) -> PostgresResult {
        guard let result else { throw failure(sql, nil) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE: return PostgresResult(result)
        default: throw failure(sql, result)
        }
    }

    /// The error of `result` (cleared here), or of the connection.
    private func failure(_ sql: String, _ result: OpaquePointer?) -> StoreError {
        defer { PQclear(result) }
        let message = result.map { Self.trimmed(PQresultErrorMessage($0)) } ?? ""
        let text = message.isEmpty ? Self.trimmed(PQerrorMessage(handle)) : message
        if PQstatus(handle) != CONNECTION_OK {
            return StoreError(
                .failed,
                "lost the connection to the store \(location.masked): \(text) (is the server up? the batch was rolled back)")
        }
        let statement = sql.split(separator: "\n").first.map { String($0.prefix(80)) } ?? ""
        let advice = result.flatMap { Self.advice(sqlState: PQresultErrorField($0, Int32(UInt8(ascii: "C")))) }
        return StoreError(
            .failed, "the store \(location.masked) failed: \(text) (in: \(statement))" + (advice.map { ": " + $0 } ?? ""))
    }

    /// What to do about the server errors a batch may meet through no fault of its own, by SQLSTATE.
    private static func advice(sqlState: UnsafePointer<CChar>?) -> String? {
        guard let sqlState else { return nil }
        switch String(cString: sqlState) {
        case "57014":
            return "a statement ran past the server's statement_timeout; raise it for crmbridge's role "
                + "(ALTER ROLE … SET statement_timeout = …, or ?options=-c%20statement_timeout%3D0 in the store URL) "
                + "and run again"
        case "53100":
            return "the server's disk is full; free space on the server (or move the store's tablespace), then run again"
        case "53200":
            return "the server ran out of memory; run again when it has more to spare"
        case "55P03", "40P01":
            return "another session holds rows this batch writes; run again when it has finished"
        default:
            return nil
        }
    }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        text.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    }

    private static func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { for copy in copies { free(copy) } }
        return body(copies.map { UnsafePointer($0) } + [nil])
    }

    private static func withParameters<T>(_ parameters: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        return body(copies.map { UnsafePointer($0) })
    }
}

/// A result in text form; it frees itself.
final class PostgresResult {
    private let result: OpaquePointer
    let rows: Int
    let columns: Int

    init(_ result: OpaquePointer) {
        self.result = result
        rows = Int(PQntuples(result))
        columns = Int(PQnfields(result))
    }

    deinit { PQclear(result) }

    /// nil for NULL.
    subscript(row: Int, column: Int) -> String? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func int(_ row: Int, _ column: Int) -> Int? { self[row, column].flatMap { Int($0) } }

    /// The value's bytes in text form, valid while the result lives (empty for NULL).
    func text(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            start: PQgetvalue(result, Int32(row), Int32(column)), count: Int(PQgetlength(result, Int32(row), Int32(column))))
    }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) != 0 }

    /// A `bytea` column in PostgreSQL's hex output (`\x…`).
    func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0 else { return nil }
        let text = UnsafeRawBufferPointer(
            start: PQgetvalue(result, Int32(row), Int32(column)), count: Int(PQgetlength(result, Int32(row), Int32(column))))
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index + 1 < text.count {
            bytes.append(Self.nibble(text[index]) << 4 | Self.nibble(text[index + 1]))
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8 { digit <= UInt8(ascii: "9") ? digit &- 48 : (digit | 0x20) &- 87 }
}

/// `bytes` as a `bytea` parameter in text form.
func byteaText(_ bytes: some Collection<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
    text.reserveCapacity(2 + bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 15)])
    }
    return String(decoding: text, as: UTF8.self)
}
