import ArgumentParser
import Foundation
import FlowlineAPI
import FlowlineService
import FlowlineStore

/// `flowline create-key`: a customer key whose ARN a profile's `--kms-arn` can name (like `aws kms create-key`).
struct CreateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-key",
        abstract: "Create a customer encryption key for connector profile credentials (Flowline's stand-in for KMS).")

    @Option(name: .customLong("description"), help: "What the key is for.")
    var description: String?

    func run() async throws {
        let service = try LocalService.open()
        do {
            let key = try service.createKey(description: description)
            Output.printResponse(.object([("KeyMetadata", KeyJSON.metadata(key))]))
        } catch {
            FileHandle.standardError.write(Data("\nAn error occurred (\(error.code.rawValue)) when calling the CreateKey operation: \(error.message)\n".utf8))
            throw ExitCode(CLIError.serviceExitCode)
        }
    }
}

struct ListKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-keys", abstract: "List the customer encryption keys (Flowline extension).")

    func run() async throws {
        let service = try LocalService.open()
        let keys = try service.listKeys()
        Output.printResponse(.object([("Keys", .array(keys.map { .object([("KeyId", .string($0.keyId)), ("KeyArn", .string($0.arn))]) }))]))
    }
}

enum KeyJSON {
    static func metadata(_ key: CustomerKeyRecord) -> JSONValue {
        var members: JSONValue.Members = [("KeyId", .string(key.keyId)), ("Arn", .string(key.arn)),
                                          ("CreationDate", .string(ISO8601DateFormatter().string(from: key.createdAt)))]
        if let d = key.description { members.append(("Description", .string(d))) }
        return .object(members)
    }
}
