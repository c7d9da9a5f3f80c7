import ArgumentParser
import Foundation
import Load
import Pipeline

/// The documented exit codes (README, `crmbridge --help`).
enum ExitStatus {
    static let runFailed = ExitCode(1)
    static let configError = ExitCode(2)
    static let healthFailed = ExitCode(3)
    static let storeBusy = ExitCode(4)
    /// `scan consistency`: the systems differ more than `--max-diff`.
    static let consistencyFailed = ExitCode(5)

    static func code(for error: RunError) -> ExitCode {
        switch error {
        case .config: configError
        case .store(let error) where error.code == .busy: storeBusy
        case .store(let error) where error.code == .unsupported: configError
        case .store, .accounting: runFailed
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
