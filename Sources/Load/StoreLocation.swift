import Foundation

/// Where a master store lives, as `store:` and `--store` name it: an SQLite file (`sqlite:PATH`,
/// `sqlite://PATH` or a bare path) or a PostgreSQL schema (`postgres://…` / `postgresql://…`,
/// a libpq connection URI with an optional `?schema=NAME`, default `crmbridge`).
///
/// Printed, a location never shows a password: `description` masks it.
package enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Parses a store URL; relative SQLite paths are taken from `base`.
    package static func parse(_ url: String, relativeTo base: String) throws(StoreError) -> StoreLocation {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation(url: url))
        }
        var rest = url
        if rest.hasPrefix("sqlite://") {
            rest.removeFirst("sqlite://".count)
        } else if rest.hasPrefix("sqlite:") {
            rest.removeFirst("sqlite:".count)
        } else if rest.contains("://") {
            throw StoreError(
                .unsupported,
                "unknown store URL '\(PostgresLocation.masking(url))': expected sqlite:PATH or postgres://HOST/DATABASE")
        }
        guard !rest.isEmpty else { throw StoreError(.unsupported, "the store URL '\(url)' names no file") }
        if rest.hasPrefix("/") { return .sqlite(path: rest) }
        return .sqlite(path: URL(fileURLWithPath: base).appendingPathComponent(rest).standardizedFileURL.path)
    }

    /// The location as messages and summaries show it: the path, or the URL with its password masked.
    package var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.masked
        }
    }
}

/// A PostgreSQL store: the libpq connection URI (without crmbridge's own `schema` parameter)
/// and the schema that holds the store's tables.
package struct PostgresLocation: Sendable, Equatable {
    /// What libpq connects with; it may hold a password, so it is never printed.
    package var connection: String
    package var schema: String
    /// The URL with any password replaced by `***`.
    package var masked: String

    package static let defaultSchema = "crmbridge"

    init(url: String) throws(StoreError) {
        masked = Self.masking(url)
        var schema = Self.defaultSchema
        var connection = url
        if let question = url.firstIndex(of: "?") {
            var kept: [Substring] = []
            for parameter in url[url.index(after: question)...].split(separator: "&") {
                if parameter.hasPrefix("schema=") {
                    schema = String(parameter.dropFirst("schema=".count)).removingPercentEncoding ?? ""
                } else {
                    kept.append(parameter)
                }
            }
            connection = String(url[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        // Quoted everywhere, but a name SQL needs no quotes for keeps `psql` sessions simple.
        guard let first = schema.unicodeScalars.first, first == "_" || ("a"..."z").contains(first), schema.count <= 63,
            schema.unicodeScalars.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw StoreError(
                .unsupported,
                "the schema '\(schema)' of \(masked) is not a plain name: use lowercase letters, digits and _ (at most 63)")
        }
        self.connection = connection
        self.schema = schema
    }

    /// `url` with the password of its user part and any `password=` parameter replaced by `***`.
    package static func masking(_ url: String) -> String {
        var result = url
        if let scheme = result.range(of: "://") {
            let authorityEnd = result[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? result.endIndex
            let authority = scheme.upperBound..<authorityEnd
            if let at = result[authority].lastIndex(of: "@"),
                let colon = result[scheme.upperBound..<at].firstIndex(of: ":")
            {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        guard let question = result.firstIndex(of: "?") else { return result }
        let parameters = result[result.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("password=") ? "password=***" : String($0) }
        return String(result[...question]) + parameters.joined(separator: "&")
    }
}
