import Extract
import Foundation
import Transform

/// The pipeline `crmbridge init` drafts from a set of export files: one source per file, and
/// the files it could not read with why.
///
/// ```swift
/// let draft = PipelineDraft.make(files: ["exports/crm.csv", "exports/erp.xlsx"], out: "pipelines/new.yml")
/// try draft.yaml.write(toFile: "pipelines/new.yml", atomically: true, encoding: .utf8)
/// ```
package struct PipelineDraft: Sendable {
    /// The pipeline's name: the --out file's name without its extension.
    package var name: String
    /// The folder of the --out file: paths in the file are relative to it.
    package var directory: String
    package var sources: [SourceDraft] = []
    package var failures: [InitError] = []

    /// Reads the start of every file and proposes a source for each.
    package static func make(files: [String], out: String, records: Int = FileSample.defaultRecords) -> PipelineDraft {
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        var draft = PipelineDraft(
            name: outURL.deletingPathExtension().lastPathComponent,
            directory: outURL.deletingLastPathComponent().path)
        var taken = Set<String>()
        for file in files {
            let path = URL(fileURLWithPath: file).standardizedFileURL.path
            do {
                let source = SourceProposer.propose(try FileSample.read(path, records: records), taken: taken)
                taken.insert(source.system)
                draft.sources.append(source)
            } catch {
                draft.failures.append(error)
            }
        }
        return draft
    }

    /// How many choices and notes are marked `# CHECK`.
    package var checks: Int {
        sources.reduce(0) { count, source in
            count + ([source.id] + (source.updatedAt.map { [$0] } ?? []) + source.fields).filter { $0.check != nil }.count
                + source.notes.filter(\.check).count + (source.noUpdatedAt == nil ? 0 : 1)
        }
    }

    // MARK: - YAML

    /// The pipeline file, commented: each choice with its evidence and confidence, `# CHECK`
    /// where a person should look, unmapped columns listed.
    package var yaml: String {
        var out: [String] = []
        out.append(
            "# Drafted by `crmbridge init` from \(sources.count) file\(sources.count == 1 ? "" : "s"). Each mapping says what it rests on"
        )
        out.append("# and how sure it is (sure, likely, guess); look at every line marked `# CHECK` before the first run.")
        out.append("# Then: crmbridge check \(name).yml · crmbridge preview \(name).yml --rows 20")
        out.append("pipeline: \(Self.scalar(name))")
        out.append("store: \(Self.scalar("sqlite:\(name).sqlite"))")
        out.append("timezone: Asia/Shanghai   # of times written without an offset")
        out.append("key:")
        out.append("  # The secret comes from the environment, never from this file: export CRMBRIDGE_KEY_SECRET")
        out.append("  # before check, preview and run.")
        out.append("  secret: ${CRMBRIDGE_KEY_SECRET}")
        out.append("")
        out.append("sources:")
        for failure in failures {
            out.append("  # not drafted: \(relative(failure.file)): \(Self.oneLine(failure.message))")
        }
        for source in sources {
            out.append("")
            out += lines(of: source)
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func lines(of source: SourceDraft) -> [String] {
        let sample = source.sample
        var head: [String] = []
        var about = "\(relative(sample.path)): \(sample.format.rawValue) (\(sample.formatWhy))"
        about += sample.records == 1 ? ", 1 record sampled" : ", \(sample.records) records sampled"
        head.append("  # \(about)")
        for note in source.notes {
            head.append(note.check ? "  # CHECK: \(Self.oneLine(note.text))" : "  # note: \(Self.oneLine(note.text))")
        }
        var rows: [(indent: String, text: String, comment: String?)] = []
        func row(_ indent: String, _ text: String, _ comment: String? = nil) { rows.append((indent, text, comment)) }
        func choice(_ indent: String, _ key: String, _ choice: Choice) {
            var comment = "\(choice.confidence.rawValue): \(choice.why)"
            if let check = choice.check { comment += "  # CHECK: \(check)" }
            row(indent, "\(key): \(Self.scalar(choice.column))", comment)
        }
        row("  - ", "system: \(Self.scalar(source.system))", source.systemWhy)
        row("    ", "kind: \(source.kind.rawValue)", source.kindWhy)
        row("    ", "path: \(Self.scalar(relative(sample.path)))", "relative to this file")
        row("    ", "format: \(sample.format.rawValue)")
        if let encoding = sample.encoding, sample.format == .csv || encoding != .utf8 {
            row("    ", "encoding: \(encoding.rawValue)", sample.encodingWhy)
        }
        if let delimiter = sample.delimiter, sample.format == .csv {
            let text = delimiter == 0x09 ? "tab" : Self.scalar(String(UnicodeScalar(delimiter)), quoteAlways: true)
            row("    ", "delimiter: \(text)", "the most frequent of , ; and tab in the first lines")
        }
        if let sheet = sample.sheet { row("    ", "sheet: \(Self.scalar(sheet))", sample.sheetWhy) }
        if sample.format == .csv || sample.format == .xlsx {
            row("    ", "header_row: \(sample.headerRow)", sample.headerWhy)
        }
        if let element = sample.recordElement {
            row("    ", "record_element: \(Self.scalar(element))", "the element that repeats and holds the fields")
        }
        choice("    ", "id", source.id)
        if let updatedAt = source.updatedAt {
            choice("    ", "updated_at", updatedAt)
        } else if let why = source.noUpdatedAt {
            head.append("  # CHECK: \(why)")
        }
        if let order = source.dateOrder { row("    ", "date_order: \(order.rawValue)", source.dateOrderWhy) }
        if let channel = source.contactChannel {
            row("    ", "contact_channel: \(channel)", "each record is also a contact: it moves the customer's last_contact_at")
        }
        if !source.conditions.isEmpty {
            row("    ", "where:")
            for condition in source.conditions {
                row(
                    "      ", "- {column: \(Self.scalar(condition.column)), equals: \(Self.scalar(condition.equals))}",
                    condition.why)
            }
        }
        if !source.dedupeBy.isEmpty {
            row("    ", "dedupe_by: [\(source.dedupeBy.map { Self.scalar($0) }.joined(separator: ", "))]", source.dedupeWhy)
        }
        if !source.skipRowsMatching.isEmpty {
            row(
                "    ", "skip_rows_matching: [\(source.skipRowsMatching.map(Self.singleQuoted).joined(separator: ", "))]",
                source.skipWhy)
        }
        row("    ", "fields:", source.fields.isEmpty ? "CHECK: no column could be mapped" : nil)
        for field in source.fields { choice("      ", field.role.description, field) }
        // Comments start in one column, past the longest short line.
        let widths = rows.map { ($0.indent + $0.text).displayWidth }
        let column = min((widths.filter { $0 <= 48 }.max() ?? 40) + 2, 50)
        var lines = head
        for (row, width) in zip(rows, widths) {
            let text = row.indent + row.text
            guard let comment = row.comment.map(Self.oneLine) else {
                lines.append(text)
                continue
            }
            lines.append((width < column ? text.padded(to: column) : text + "  ") + "# " + comment)
        }
        if !source.unmapped.isEmpty {
            lines += Self.wrapped("    # unmapped: ", source.unmapped.joined(separator: ", "))
        }
        return lines
    }

    /// `path` relative to the pipeline file's folder.
    func relative(_ path: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + target[common...]
        return parts.joined(separator: "/")
    }

    // MARK: - YAML text

    /// A scalar as YAML reads it back unchanged: plain when it is safe, else double-quoted.
    static func scalar(_ text: String, quoteAlways: Bool = false) -> String {
        let special = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        let safe =
            !text.isEmpty && !quoteAlways
            && !special.contains(text.lowercased()) && Double(text) == nil
            && !text.hasPrefix(" ") && !text.hasSuffix(" ")
            && text.first.map { !"-?:,[]{}#&*!|>'\"%@`".contains($0) } == true
            && !text.contains(": ") && !text.contains(" #") && !text.hasSuffix(":")
            && !text.contains(where: { "\n\r\t,[]{}".contains($0) })
            && !text.hasPrefix("${")
        // A JSON string literal is a YAML double-quoted scalar, escapes and all.
        return safe ? text : jsonString(text)
    }

    /// Single-quoted: backslashes stay as they are (regular expressions).
    static func singleQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// `prefix` + text, wrapped at about 110 columns into comment lines.
    static func wrapped(_ prefix: String, _ text: String) -> [String] {
        var lines: [String] = []
        var line = prefix
        let continuation = String(repeating: " ", count: 4) + "#   "
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if line.displayWidth + word.count > 110, line != prefix, line != continuation {
                lines.append(String(line.dropLast()))
                line = continuation
            }
            line += word + " "
        }
        lines.append(String(line.dropLast()))
        return lines
    }
}
