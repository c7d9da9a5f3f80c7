import Foundation
import Testing

/// Runs the real `crmbridge` binary that `swift build` made (or `$CRMBRIDGE_BIN`).
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["CRMBRIDGE_BIN"] { return path }
        return root.appendingPathComponent(".build/debug/crmbridge").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// - Parameter input: written to the process's standard input, then closed; nil: no stdin pipe.
    /// - Parameter executable: what to run instead of crmbridge (a shell that sets limits first).
    @discardableResult
    static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
        input: String? = nil, executable: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CRMBRIDGE_KEY_SECRET")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = directory ?? root
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            // Written from another thread: a large input must not block while the child waits for
            // us to drain its output.
            let writer = stdin.fileHandleForWriting
            let data = Data(input.utf8)
            DispatchQueue.global().async {
                writer.write(data)
                try? writer.close()
            }
        }
        // Read both pipes before waiting, so that a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// `check`s a pipeline file, then `run`s it as of the fixtures' load time and returns the summary.
    static func checkAndRun(_ pipeline: URL) throws -> Summary {
        let check = try run(["check", pipeline.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let result = try run(["run", pipeline.path, "--as-of", "2026-11-22T03:00:00+08:00", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
    }

    /// A fresh scratch folder for one test.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crmbridge-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a pipeline of one CRM source, `input.csv` beside it, with the headers of
    /// `gen_fixtures.py --bench`; `fields` is the `fields:` map in YAML flow style.
    static func crmPipeline(_ name: String, in folder: URL, fields: String) throws -> URL {
        let pipeline = folder.appendingPathComponent("\(name).yml")
        try """
        pipeline: \(name)
        key: {demo: true}
        sources:
          - system: crm
            path: input.csv
            id: 客户编号
            updated_at: 更新时间
            fields: \(fields)
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        return pipeline
    }

    /// Exports a table to a file in `directory` and returns its text.
    static func export(_ table: String, store: URL, to directory: URL, format: String = "csv") throws -> String {
        let out = directory.appendingPathComponent("\(table).\(format)")
        let result = try run(["export", table, "--store", "sqlite:\(store.path)", "--format", format, "--out", out.path])
        #expect(result.status == 0, "export \(table): \(result.stderr)")
        return try String(contentsOf: out, encoding: .utf8)
    }
}

/// Parses CSV text (RFC 4180) into rows of dictionaries keyed by the header.
func parseCSV(_ text: String) -> [[String: String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var iterator = Array(text).makeIterator()
    var pending: Character? = nil
    while let char = pending ?? iterator.next() {
        pending = nil
        if inQuotes {
            if char == "\"" {
                if let next = iterator.next() {
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    inQuotes = false
                }
            } else {
                field.append(char)
            }
        } else if char == "\"" {
            inQuotes = true
        } else if char == "," {
            row.append(field); field = ""
        } else if char == "\n" {
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.append(char)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}
