import Extract
import Foundation
import Transform

/// The checks `crmbridge check` makes beyond the schema: every glob matches, every file's
/// header has the mapped columns.
package enum PipelineCheck {
    package static func sources(of config: PipelineConfig) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for source in config.sources {
            let pathAt = source.fieldLocations["path"] ?? source.location
            guard let files = config.files(of: source, collecting: &issues) else { continue }
            for file in files {
                do {
                    try checkSourceFile(file)
                    let reader = try makeReader(for: source, path: file)
                    do {
                        _ = try source.mapping(header: reader.columns, file: file, pipeline: config.file)
                    } catch {
                        issues.append(error)
                    }
                } catch {
                    issues.append(
                        ConfigIssue(
                            file: config.file, line: pathAt.line, column: pathAt.column,
                            message: error.description))
                }
            }
        }
        return issues
    }

    package static func fileCount(of config: PipelineConfig) -> Int {
        config.sources.reduce(0) { $0 + ((try? config.files(of: $1).get())?.count ?? 0) }
    }
}

extension SourceConfig {
    /// Resolves the source's columns against one file's header; a column it lacks is an issue
    /// at the pipeline line that names it.
    func mapping(header: [String], file: String, pipeline: String) throws(ConfigIssue) -> FieldMapping {
        do {
            let ruleColumns =
                rules.conditions.enumerated().map { ("where[\($0.offset)]", $0.element.column) }
                + rules.dedupeBy.enumerated().map { ("dedupe_by[\($0.offset)]", $0.element) }
            return try FieldMapping(
                header: header, id: id, updatedAt: updatedAt, fields: fields,
                contactFields: contactFields, ruleColumns: ruleColumns)
        } catch {
            let at = fieldLocations[error.key] ?? location
            let hint = error.suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            throw ConfigIssue(
                file: pipeline, line: at.line, column: at.column,
                message: """
                    column '\(error.column)' (\(error.key)) is not in the header of \(file)\(hint); \
                    the header has: \(Self.shown(header))
                    """)
        }
    }
}

extension SourceConfig {
    /// A header as a message lists it: a broken file's "header" can be its whole text.
    static func shown(_ header: [String]) -> String {
        let names = header.prefix(40).map { $0.count > 40 ? $0.prefix(40) + "…" : $0 }
        return names.joined(separator: ", ") + (header.count > 40 ? " and \(header.count - 40) more" : "")
    }
}

/// Parses a command-line time (`--as-of`) in the pipeline's zone.
package func parseInstant(_ text: String, timeZone: TimeZone) -> Date? {
    try? TimestampParser(timeZone: timeZone).parse(text).get()
}
