import ArgumentParser
import Foundation
import Pipeline

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draft a pipeline file from export files: format, encoding, layout and a commented field mapping.",
        discussion: """
            Reads the start of each FILE (CSV in any encoding, xlsx, JSON Lines or arrays, XML pushes) and \
            writes one source per file: format told by content, encoding, delimiter, the sheet and the header \
            row below title rows, the JSON paths and labelled form answers, the XML record element; columns \
            mapped to canonical fields through a dictionary of Chinese and English headers and confirmed by \
            their values (mobiles, USCCs, times), the id and updated_at columns, totals rows to skip. Every \
            mapping is commented with its evidence; lines marked `# CHECK` need a person's look. Paths in the \
            file are relative to its folder; the key secret is ${CRMBRIDGE_KEY_SECRET}. Exit codes: 0 written, \
            1 no file could be drafted, 2 --out exists (use --force).
            """)

    @Argument(help: "The export files, one source each.")
    var files: [String]

    @Option(help: "The pipeline file to write.")
    var out: String

    @Flag(help: "Replace --out if it exists.")
    var force = false

    @Option(help: "Records read from each file to judge its columns.")
    var rows = 20

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one export file") }
        guard rows >= 1 else { throw ValidationError("--rows must be at least 1") }
    }

    func run() throws {
        if FileManager.default.fileExists(atPath: out) && !force {
            printError("crmbridge init: \(out) exists: pass --force to replace it")
            throw ExitStatus.configError
        }
        let draft = PipelineDraft.make(files: files, out: out, records: rows)
        for failure in draft.failures { printError("crmbridge init: \(failure) (left out)") }
        guard !draft.sources.isEmpty else {
            printError("crmbridge init: no file could be drafted; nothing written")
            throw ExitStatus.runFailed
        }
        do {
            let url = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(draft.yaml.utf8).write(to: url, options: .atomic)
        } catch {
            printError("crmbridge init: cannot write \(out): \(error.localizedDescription)")
            throw ExitStatus.runFailed
        }
        for source in draft.sources {
            let fields = source.fields.map(\.role.description).joined(separator: ", ")
            print(
                "\(source.system): \(source.sample.format.rawValue), \(source.kind.rawValue), id \(source.id.column); \(fields)")
        }
        let checks = draft.checks
        print(
            """
            wrote \(out): \(draft.sources.count) source\(draft.sources.count == 1 ? "" : "s"), \
            \(checks) line\(checks == 1 ? "" : "s") marked # CHECK; next: crmbridge check \(out)
            """)
    }
}
