import FlowlineAPI
import FlowlineConnectors

/// The fields a connector's profile form shows, read off the model's shapes: each member of the
/// connector's `…ConnectorProfileProperties` and `…ConnectorProfileCredentials` structure, its
/// JSON type (found by decoding trial values and reading which type the decoder asked for), its
/// enum values and whether it is required. Nested structures (OAuth requests) are left out.
struct ProfileField: Sendable {
    enum Kind: Sendable, Equatable { case text, bool, number, choice([String]) }
    enum Group: String, Sendable { case properties, credentials }

    let member: String
    let group: Group
    let kind: Kind
    let required: Bool

    /// Free-text credentials are secrets (password inputs, never shown again), except those that
    /// name someone or something (a user, a client id, an ARN).
    var secret: Bool {
        group == .credentials && kind == .text && !["username", "clientId", "clientNumber", "clientCredentialsArn"].contains(member)
    }

    /// `instanceUrl` → `Instance URL`.
    var label: String {
        var words: [String] = []
        for c in member {
            if c.isUppercase || words.isEmpty { words.append(String(c)) } else { words[words.count - 1].append(c) }
        }
        let acronyms = ["Url": "URL", "Arn": "ARN", "Id": "ID", "Api": "API", "Sso": "SSO", "Ssl": "SSL", "Jwt": "JWT", "O": "O"]
        let text = words.map { acronyms[$0] ?? $0 }.joined(separator: " ").replacingOccurrences(of: "O Auth", with: "OAuth")
        return text.prefix(1).uppercased() + text.dropFirst()
    }
    /// The form field's name: `properties.instanceUrl`, `credentials.accessToken`.
    var formName: String { "\(group.rawValue).\(member)" }
}

enum ProfileFormModel {
    /// The shapes of the connectors whose profiles Flowline stores, by their properties key.
    private static let shapes: [String: (properties: any StructureShape.Type, credentials: any StructureShape.Type)] = [
        "Redshift": (AppFlow.RedshiftConnectorProfileProperties.self, AppFlow.RedshiftConnectorProfileCredentials.self),
        "Salesforce": (AppFlow.SalesforceConnectorProfileProperties.self, AppFlow.SalesforceConnectorProfileCredentials.self),
        "Zendesk": (AppFlow.ZendeskConnectorProfileProperties.self, AppFlow.ZendeskConnectorProfileCredentials.self),
        "ServiceNow": (AppFlow.ServiceNowConnectorProfileProperties.self, AppFlow.ServiceNowConnectorProfileCredentials.self),
        "Slack": (AppFlow.SlackConnectorProfileProperties.self, AppFlow.SlackConnectorProfileCredentials.self),
        "Marketo": (AppFlow.MarketoConnectorProfileProperties.self, AppFlow.MarketoConnectorProfileCredentials.self),
        "SAPOData": (AppFlow.SAPODataConnectorProfileProperties.self, AppFlow.SAPODataConnectorProfileCredentials.self),
        "GoogleAnalytics": (AppFlow.GoogleAnalyticsConnectorProfileProperties.self, AppFlow.GoogleAnalyticsConnectorProfileCredentials.self),
    ]

    /// Connectors that use profiles, in catalog order.
    static var connectors: [ConnectorCapabilities] { ConnectorCatalog.all.filter { $0.needsProfile && shapes[$0.propertiesKey] != nil } }

    private static let fieldsByKey: [String: [ProfileField]] = shapes.mapValues { pair in
        probe(pair.properties, group: .properties) + probe(pair.credentials, group: .credentials)
    }

    static func fields(_ caps: ConnectorCapabilities) -> [ProfileField] { fieldsByKey[caps.propertiesKey] ?? [] }

    /// Finds each member's kind by decoding a trial object and adjusting the member the decoder complains about.
    private static func probe(_ type: any StructureShape.Type, group: ProfileField.Group) -> [ProfileField] {
        var samples: [String: JSONValue] = [:]
        var kinds: [String: ProfileField.Kind] = [:]
        for name in type.memberNames { samples[name] = .string("probe"); kinds[name] = .text }
        let object = { (leaving: String?) -> JSONValue in
            .object(type.memberNames.compactMap { name in name == leaving ? nil : samples[name].map { (name, $0) } })
        }
        for _ in 0...(type.memberNames.count * 2) {
            do {
                _ = try type.init(json: object(nil), at: ShapePath())
                break
            } catch {
                let message = error.message
                guard let member = quoted(after: "member ", in: message) else { break }
                if message.hasSuffix("expected boolean, found string") {
                    samples[member] = .bool(false); kinds[member] = .bool
                } else if message.hasSuffix("expected number, found string") {
                    samples[member] = .number(1); kinds[member] = .number
                } else if message.contains("must be one of ["), let list = message.split(separator: "[").last?.dropLast() {
                    let values = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    samples[member] = .string(values.first ?? ""); kinds[member] = .choice(values)
                } else {
                    // A nested structure, list or map: not a single form field.
                    samples[member] = nil; kinds[member] = nil
                }
            }
        }
        return type.memberNames.compactMap { name -> ProfileField? in
            guard let kind = kinds[name], samples[name] != nil else { return nil }
            var required = false
            do { _ = try type.init(json: object(name), at: ShapePath()) } catch {
                required = ((error as? AppFlowError)?.message ?? "").hasPrefix("Missing required member '\(name)'")
            }
            return ProfileField(member: name, group: group, kind: kind, required: required)
        }
    }

    private static func quoted(after marker: String, in text: String) -> String? {
        guard let start = text.range(of: marker + "'") else { return nil }
        let rest = text[start.upperBound...]
        return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
    }

    /// The per-connector object of one group, from the form; empty fields are left out, so the
    /// service reports a missing required member at its path. Text typed into a number field is
    /// sent as text, so the service's type message lands next to that field.
    static func json(_ fields: [ProfileField], group: ProfileField.Group, form: ConsoleRequest) -> JSONValue.Members {
        fields.filter { $0.group == group }.compactMap { field in
            let raw = field.secret ? form.rawField(field.formName) : form.field(field.formName)
            switch field.kind {
            case .bool:
                return (field.member, .bool(raw == "true"))
            case .number:
                guard !raw.isEmpty else { return nil }
                return (field.member, Double(raw).map(JSONValue.number) ?? .string(raw))
            case .text, .choice:
                return raw.isEmpty ? nil : (field.member, .string(raw))
            }
        }
    }

    /// Form field name → the request member paths whose messages belong next to it.
    static func errorFields(_ fields: [ProfileField], key: String) -> [String: [String]] {
        var map: [String: [String]] = [
            "connectorProfileName": ["connectorProfileName"], "connectionMode": ["connectionMode"], "kmsArn": ["kmsArn"],
        ]
        for field in fields {
            let container = field.group == .properties ? "connectorProfileProperties" : "connectorProfileCredentials"
            map[field.formName] = ["connectorProfileConfig.\(container).\(key).\(field.member)"]
        }
        return map
    }
}
