import Foundation
import FlowlineAPI

/// How a resource's last applied state is kept in the stack's record: the resolved CloudFormation
/// properties (with `DeletionPolicy`), and the connector credentials apart so they can be sealed.
struct StoredProperties: Equatable {
    /// The resolved properties, credentials included.
    var properties: JSONValue
    var retainOnDelete: Bool

    private static let secretParent = "ConnectorProfileConfig"
    private static let secretMember = "ConnectorProfileCredentials"

    /// The document and the sealed-apart secrets for the store.
    var encoded: (document: Data, secrets: Data?) {
        var visible = properties
        var secrets: JSONValue?
        if case .object(var members) = properties,
           let index = members.firstIndex(where: { $0.key == Self.secretParent }),
           case .object(var config) = members[index].value,
           let secretIndex = config.firstIndex(where: { $0.key == Self.secretMember }) {
            secrets = config.remove(at: secretIndex).value
            members[index].value = .object(config)
            visible = .object(members)
        }
        var document: JSONValue.Members = [("Properties", visible)]
        if retainOnDelete { document.append(("DeletionPolicy", .string("Retain"))) }
        return (JSONValue.object(document).serialized(), secrets?.serialized())
    }

    init(properties: JSONValue, retainOnDelete: Bool) {
        self.properties = properties
        self.retainOnDelete = retainOnDelete
    }

    init(document: Data, secrets: Data?) throws(StackError) {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(document)
        } catch {
            throw StackError(.validation, "A stack record cannot be read back: \(error.message)")
        }
        var properties = parsed["Properties"] ?? .object([])
        if let secrets, let secretJSON = try? JSONValue.parse(secrets),
           case .object(var members) = properties,
           let index = members.firstIndex(where: { $0.key == Self.secretParent }),
           case .object(var config) = members[index].value {
            config.append((Self.secretMember, secretJSON))
            members[index].value = .object(config)
            properties = .object(members)
        }
        self.properties = properties
        retainOnDelete = parsed["DeletionPolicy"] == .string("Retain")
    }

    /// Same properties, whatever the member order.
    func sameProperties(as other: JSONValue) -> Bool {
        canonical(properties) == canonical(other)
    }
}
