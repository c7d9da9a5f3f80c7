import ArgumentParser
import Foundation
import Load
import Pipeline

/// Named apart from the stores it moves.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Work on a whole master store.", subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole store into another: SQLite to PostgreSQL (or back), once, to move a store.",
            discussion: """
                Every table is copied in one transaction of the target, then verified: the same row count per \
                table and the same checksum of every export (master, xref, rejects, interactions). A target that \
                holds batches is refused unless --force, which replaces what it holds. Exit codes: 0 copied and \
                verified, 1 a store failed or the copy differs, 2 a bad store URL, 4 the target is busy.
                """)

        @Argument(help: "The store to copy (sqlite:PATH or postgres://…).")
        var from: String

        @Argument(help: "The store to write (sqlite:PATH or postgres://…).")
        var to: String

        @Flag(help: "Replace what the target holds.")
        var force = false

        func run() throws {
            let (source, target) = (try storeLocation(from, command: "store copy"), try storeLocation(to, command: "store copy"))
            do {
                let report = try StoreCopy.copy(from: source, to: target, force: force)
                for (table, count) in report.rows { print("\(table): \(count) rows") }
                for (table, sha256) in report.exports { print("export \(table): sha256 \(sha256)") }
                print("copied \(source) to \(target): verified")
            } catch let error as StoreCopy.CopyError {
                printError("crmbridge store copy: \(error)")
                throw error.isUsage ? ExitStatus.configError : ExitStatus.runFailed
            } catch let error as StoreError {
                printError("crmbridge store copy: \(error)")
                throw error.code == .busy ? ExitStatus.storeBusy : ExitStatus.runFailed
            }
        }
    }
}
