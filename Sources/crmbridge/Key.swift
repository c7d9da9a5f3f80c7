import ArgumentParser
import Foundation
import Pipeline

struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the customer key of a phone number and a tax ID.",
        discussion: """
            The key is HMAC-SHA256(secret, E.164 phone + "|" + USCC), in lowercase hex: other systems \
            can compute it to check theirs. The secret comes from the environment variable named by \
            --secret-env, never from the command line (it would land in shell history).
            """)

    @Option(help: "The mobile phone number, in any common form.")
    var phone: String

    @Option(help: "The unified social credit code.")
    var taxId: String

    @Option(help: "Environment variable holding the secret.")
    var secretEnv = "CRMBRIDGE_KEY_SECRET"

    @Flag(help: "Use the published demo secret (for fixtures only).")
    var demo = false

    func run() throws {
        let secret: String
        if demo {
            secret = PipelineConfig.demoSecret
        } else if let value = ProcessInfo.processInfo.environment[secretEnv], !value.isEmpty {
            secret = value
        } else {
            printError("crmbridge key: \(secretEnv) is not set: export the key secret, or pass --demo for fixtures")
            throw ExitStatus.configError
        }
        switch customerKey(phone: phone, taxID: taxId, secret: Array(secret.utf8)) {
        case .success(let key): print(key)
        case .failure(let problem):
            printError("crmbridge key: \(problem)")
            throw ExitStatus.configError
        }
    }
}
