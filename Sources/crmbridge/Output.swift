import ArgumentParser
import Foundation
import Load

/// The file `--out` names (created or truncated), or standard output.
func outputHandle(_ out: String?, command: String) throws -> FileHandle {
    guard let out else { return FileHandle.standardOutput }
    guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
        printError("crmbridge \(command): cannot write \(out)")
        throw ExitStatus.runFailed
    }
    return file
}

/// The path of a `--store` URL, relative to the working directory; exits 2 on a bad URL.
func storePath(_ url: String, command: String) throws -> String {
    do {
        return try SQLiteStore.path(fromURL: url, relativeTo: FileManager.default.currentDirectoryPath)
    } catch {
        printError("crmbridge \(command): \(error)")
        throw ExitStatus.configError
    }
}
