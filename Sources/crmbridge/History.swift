import ArgumentParser
import Foundation
import Health
import Load

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the change log of one master customer: its creation and every change, with source and batch.",
        discussion: """
            The audit trail: each entry names the source system, the source record's id and the batch \
            (UUID) that made it. The first entry is the creation, with the values the customer was \
            created with. Exit codes: 0 found, 1 no such customer or the store cannot be read, \
            2 a malformed key or store URL.
            """)

    @Argument(help: "The customer key: 64 hex digits, as `export master` and `crmbridge key` print it.")
    var customerKey: String

    @Option(help: "Master store URL (sqlite:PATH or postgres://…).")
    var store: String

    @Option(help: "Output format: text or json.")
    var format: HistoryFormat = .text

    func run() throws {
        guard customerKey.count == 64, customerKey.allSatisfy(\.isHexDigit) else {
            printError("crmbridge history: '\(customerKey)' is not a customer key: expected 64 hex digits (see `crmbridge key`)")
            throw ExitStatus.configError
        }
        let history: CustomerHistory?
        do {
            let location = try StoreLocation.parse(store, relativeTo: FileManager.default.currentDirectoryPath)
            history = try openStore(location, access: .read).history(ofCustomer: customerKey)
        } catch let error as StoreError {
            printError("crmbridge history: \(error)")
            throw error.code == .unsupported ? ExitStatus.configError : ExitStatus.runFailed
        } catch {
            printError("crmbridge history: cannot read the store: \(error)")
            throw ExitStatus.runFailed
        }
        guard let history else {
            printError("crmbridge history: no customer with key \(customerKey) in \(PostgresLocation.masking(store))")
            throw ExitStatus.runFailed
        }
        print(format == .json ? history.json : history.text)
    }
}

extension HistoryFormat: ExpressibleByArgument {}
