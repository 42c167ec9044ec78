import Foundation
import FlowlineAPI

/// How a resource's last applied state is kept in the stack's record: the resolved CloudFormation
/// properties (with `DeletionPolicy`), and apart from them, to be sealed, the connector
/// credentials and every value that holds a `NoEcho` parameter's value (masked in the document).
struct StoredProperties: Equatable {
    /// The resolved properties, credentials and NoEcho values included.
    var properties: JSONValue
    var retainOnDelete: Bool
    /// The deploy's NoEcho values: string values containing one are kept sealed only.
    var noEcho: NoEchoValues

    private static let secretParent = "ConnectorProfileConfig"
    private static let secretMember = "ConnectorProfileCredentials"
    /// The sealed blob's members when it holds more than the credentials; a blob without them is
    /// the credentials object itself (stacks recorded before NoEcho values were sealed).
    private static let sealedCredentials = "flowline:credentials"
    private static let sealedLeaves = "flowline:noEcho"

    static func == (a: StoredProperties, b: StoredProperties) -> Bool {
        a.properties == b.properties && a.retainOnDelete == b.retainOnDelete
    }

    /// The document and the sealed-apart secrets for the store.
    var encoded: (document: Data, secrets: Data?) {
        var visible = properties
        var credentials: JSONValue?
        if case .object(var members) = properties,
           let index = members.firstIndex(where: { $0.key == Self.secretParent }),
           case .object(var config) = members[index].value,
           let secretIndex = config.firstIndex(where: { $0.key == Self.secretMember }) {
            credentials = config.remove(at: secretIndex).value
            members[index].value = .object(config)
            visible = .object(members)
        }
        var leaves: [JSONValue] = []
        visible = hidingNoEcho(visible, path: [], into: &leaves)
        var document: JSONValue.Members = [("Properties", visible)]
        if retainOnDelete { document.append(("DeletionPolicy", .string("Retain"))) }
        let secrets: JSONValue?
        if leaves.isEmpty {
            secrets = credentials
        } else {
            secrets = .object([(Self.sealedCredentials, credentials ?? .null), (Self.sealedLeaves, .array(leaves))])
        }
        return (JSONValue.object(document).serialized(), secrets?.serialized())
    }

    init(properties: JSONValue, retainOnDelete: Bool, noEcho: NoEchoValues = NoEchoValues([])) {
        self.properties = properties
        self.retainOnDelete = retainOnDelete
        self.noEcho = noEcho
    }

    init(document: Data, secrets: Data?) throws(StackError) {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(document)
        } catch {
            throw StackError(.validation, "A stack record cannot be read back: \(error.message)")
        }
        var properties = parsed["Properties"] ?? .object([])
        var credentials = secrets.flatMap { try? JSONValue.parse($0) }
        var leaves: [JSONValue] = []
        if case .object(let members)? = credentials, members.contains(where: { $0.key == Self.sealedLeaves }) {
            if case .array(let items)? = credentials?[Self.sealedLeaves] { leaves = items }
            credentials = credentials?[Self.sealedCredentials]
            if credentials == .null { credentials = nil }
        }
        for leaf in leaves {
            guard case .array(let path)? = leaf["path"], let value = leaf["value"] else { continue }
            properties = Self.setting(value, at: path[...], in: properties)
        }
        if let credentials, case .object(var members) = properties,
           let index = members.firstIndex(where: { $0.key == Self.secretParent }),
           case .object(var config) = members[index].value {
            config.append((Self.secretMember, credentials))
            members[index].value = .object(config)
            properties = .object(members)
        }
        self.properties = properties
        retainOnDelete = parsed["DeletionPolicy"] == .string("Retain")
        noEcho = NoEchoValues([])
    }

    /// Same properties, whatever the member order.
    func sameProperties(as other: JSONValue) -> Bool {
        canonical(properties) == canonical(other)
    }

    /// `value` with every string that holds a NoEcho value masked; the originals and where they
    /// were go to `leaves`.
    private func hidingNoEcho(_ value: JSONValue, path: [JSONValue], into leaves: inout [JSONValue]) -> JSONValue {
        switch value {
        case .string(let text) where noEcho.appears(in: text):
            leaves.append(.object([("path", .array(path)), ("value", value)]))
            return .string(noEcho.masked(text))
        case .object(let members):
            return .object(members.map { ($0.key, hidingNoEcho($0.value, path: path + [.string($0.key)], into: &leaves)) })
        case .array(let items):
            return .array(items.enumerated().map { hidingNoEcho($1, path: path + [.number(Double($0))], into: &leaves) })
        default:
            return value
        }
    }

    /// `document` with `value` put back at `path` (member names and list positions).
    private static func setting(_ value: JSONValue, at path: ArraySlice<JSONValue>, in document: JSONValue) -> JSONValue {
        guard let step = path.first else { return value }
        switch (step, document) {
        case (.string(let key), .object(var members)):
            guard let index = members.firstIndex(where: { $0.key == key }) else { return document }
            members[index].value = setting(value, at: path.dropFirst(), in: members[index].value)
            return .object(members)
        case (.number(let position), .array(var items)):
            let index = Int(position)
            guard items.indices.contains(index) else { return document }
            items[index] = setting(value, at: path.dropFirst(), in: items[index])
            return .array(items)
        default:
            return document
        }
    }
}
