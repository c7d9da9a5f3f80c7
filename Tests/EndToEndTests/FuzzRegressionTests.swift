import Foundation
import Testing

/// Every input in fuzz/regressions/TARGET/ once made a fuzz target fail (a crash, a hang, a
/// broken invariant). The debug build of `crmbridge-fuzz` replays each through its target, so a
/// regression fails `make test`, not only the next `make fuzz`.
///
/// Inputs named in fuzz/regressions/KNOWN_ISSUES still fail: their fix is being made on another
/// branch. They are known issues here; once the fix is merged they pass, this test then says the
/// known issue no longer occurs, and the line comes out of KNOWN_ISSUES (and the filter for it out
/// of the fuzz target).
@Suite struct FuzzRegressionTests {
    static let folder = CLI.root.appendingPathComponent("fuzz/regressions")

    static var replayer: String {
        URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("crmbridge-fuzz").path
    }

    /// `TARGET/FILE` of every regression input.
    static let inputs: [String] = {
        let manager = FileManager.default
        let targets = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        return targets.sorted().flatMap { target -> [String] in
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder.appendingPathComponent(target).path, isDirectory: &isFolder),
                isFolder.boolValue
            else { return [] }
            let files = (try? manager.contentsOfDirectory(atPath: folder.appendingPathComponent(target).path)) ?? []
            return files.filter { !$0.hasPrefix(".") }.sorted().map { "\(target)/\($0)" }
        }
    }()

    /// `TARGET/FILE` → why it still fails.
    static let knownIssues: [String: String] = {
        let text = (try? String(contentsOf: folder.appendingPathComponent("KNOWN_ISSUES"), encoding: .utf8)) ?? ""
        var issues: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 1)
            if let input = fields.first {
                issues[String(input)] = fields.count > 1 ? fields[1].trimmingCharacters(in: .whitespaces) : ""
            }
        }
        return issues
    }()

    @Test func thereAreRegressionInputs() {
        #expect(Self.inputs.count >= 5)
        for input in Self.knownIssues.keys {
            #expect(Self.inputs.contains(input), "KNOWN_ISSUES names \(input), which is not in fuzz/regressions")
        }
    }

    @Test("each regression input passes its fuzz target", arguments: inputs)
    func replays(input: String) throws {
        let target = String(input.prefix { $0 != "/" })
        let result = try CLI.run([target, Self.folder.appendingPathComponent(input).path], executable: Self.replayer)
        if let issue = Self.knownIssues[input] {
            withKnownIssue("\(input): \(issue)") {
                #expect(result.status == 0, "\(input): exit \(result.status)")
            }
        } else {
            #expect(result.status == 0, "\(input): exit \(result.status)\n\(result.stderr.suffix(2_000))")
        }
    }
}
