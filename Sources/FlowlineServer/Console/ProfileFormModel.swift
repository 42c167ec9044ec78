import FlowlineAPI
import FlowlineConnectors

/// One input of a connector's profile form, read off the model's shapes: a scalar member of the
/// connector's `…ConnectorProfileProperties` or `…ConnectorProfileCredentials` structure or of a
/// structure nested in it (`basicAuthCredentials.password`), its JSON type, enum values and
/// whether its structure requires it.
struct ProfileField: Sendable {
    enum Kind: Sendable, Equatable { case text, bool, number, list, choice([String]) }
    enum Group: String, Sendable { case properties, credentials }

    /// Members from the connector's object down to this one: `["oAuthCredentials", "clientSecret"]`.
    let path: [String]
    let group: Group
    let kind: Kind
    /// Required by the model's shape, or by Flowline (`ProfileFieldUsage`).
    var required: Bool

    var member: String { path.last ?? "" }

    /// Free-text credentials are secrets (password inputs, never shown again), except those that
    /// name someone or something (a user, a client id, an ARN, a redirect address).
    var secret: Bool {
        group == .credentials && kind == .text
            && !["username", "clientId", "clientNumber", "clientCredentialsArn", "redirectUri"].contains(member)
    }

    var label: String { ProfileFormModel.label(member) }
    /// The form field's name: `properties.instanceUrl`, `credentials.basicAuthCredentials.password`.
    var formName: String { ([group.rawValue] + path).joined(separator: ".") }
}

/// A structure of a profile shape: the group's top level or a nested structure (an OAuth request,
/// SAP OData's basic or OAuth credentials), shown as a fieldset.
struct ProfileSection: Sendable {
    indirect enum Item: Sendable { case field(ProfileField), section(ProfileSection) }

    let path: [String]
    let group: ProfileField.Group
    let required: Bool
    let items: [Item]

    var member: String { path.last ?? "" }
    var label: String { ProfileFormModel.label(member) }
    var formName: String { ([group.rawValue] + path).joined(separator: ".") }
    var sections: [ProfileSection] { items.compactMap { if case .section(let s) = $0 { s } else { nil } } }

    /// Every member is an optional structure (SAP OData's `basicAuthCredentials` or
    /// `oAuthCredentials`): the form offers them as alternatives and sends the chosen one only.
    var isChoice: Bool {
        items.count > 1 && items.allSatisfy { if case .section(let s) = $0 { !s.required } else { false } }
    }
    /// The radio group that picks the alternative: `choice.credentials`.
    var choiceName: String { "choice." + formName }

    /// Every scalar input below this structure.
    var fields: [ProfileField] {
        items.flatMap { item -> [ProfileField] in
            switch item {
            case .field(let f): [f]
            case .section(let s): s.fields
            }
        }
    }
    /// Whether the form shows a member of this structure.
    func shows(_ member: String) -> Bool {
        items.contains { item in
            switch item {
            case .field(let f): f.member == member
            case .section(let s): s.member == member
            }
        }
    }

    /// This structure and every structure below it.
    var allSections: [ProfileSection] { [self] + sections.flatMap(\.allSections) }

    /// The structure as the form shows it: members Flowline never reads left out (unless the model
    /// requires them), members Flowline needs marked required.
    func applying(_ usage: ProfileFieldUsage) -> ProfileSection {
        let kept = items.compactMap { item -> Item? in
            switch item {
            case .field(var field):
                if usage.unused.contains(field.formName) && !field.required { return nil }
                if usage.required.contains(field.formName) { field.required = true }
                return .field(field)
            case .section(let nested):
                if usage.unused.contains(nested.formName) && !nested.required { return nil }
                return .section(nested.applying(usage))
            }
        }
        return ProfileSection(path: path, group: group, required: required, items: kept)
    }
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

    private static let sectionsByKey: [String: (properties: ProfileSection, credentials: ProfileSection)] = {
        var sections: [String: (properties: ProfileSection, credentials: ProfileSection)] = [:]
        for (key, pair) in shapes {
            let usage = ProfileFieldUsage.of(key)
            sections[key] = (probe(pair.properties, group: .properties, path: [], required: true).applying(usage),
                             probe(pair.credentials, group: .credentials, path: [], required: true).applying(usage))
        }
        return sections
    }()

    static func section(_ caps: ConnectorCapabilities, _ group: ProfileField.Group) -> ProfileSection {
        let empty = ProfileSection(path: [], group: group, required: true, items: [])
        guard let pair = sectionsByKey[caps.propertiesKey] else { return empty }
        return group == .properties ? pair.properties : pair.credentials
    }

    /// Every scalar input of a connector's form, nested ones included.
    static func fields(_ caps: ConnectorCapabilities) -> [ProfileField] {
        section(caps, .properties).fields + section(caps, .credentials).fields
    }

    /// `instanceUrl` → `Instance URL`.
    static func label(_ member: String) -> String {
        var words: [String] = []
        for c in member {
            // A run of capitals is one word (`disableSSO` → SSO).
            let inCapitals = c.isUppercase && (words.last.map { $0.allSatisfy(\.isUppercase) } ?? false)
            if (c.isUppercase && !inCapitals) || words.isEmpty { words.append(String(c)) } else { words[words.count - 1].append(c) }
        }
        let acronyms = ["Url": "URL", "Arn": "ARN", "Id": "ID", "Api": "API", "Sso": "SSO", "Ssl": "SSL", "Jwt": "JWT", "Uri": "URI"]
        let text = words.map { acronyms[$0] ?? $0 }.joined(separator: " ")
        return (text.prefix(1).uppercased() + text.dropFirst()).replacingOccurrences(of: "O Auth", with: "OAuth")
    }

    /// Finds each member's kind by decoding a trial object and adjusting the member the decoder
    /// complains about. A nested structure's type is read, once the rest decodes, from the
    /// decoded value's member (its static type `Optional<Nested>`), and probed the same way.
    private static func probe(_ type: any StructureShape.Type, group: ProfileField.Group, path: [String], required: Bool) -> ProfileSection {
        var samples: [String: JSONValue] = [:]
        var kinds: [String: ProfileField.Kind] = [:]
        var nested: Set<String> = []
        for name in type.memberNames { samples[name] = .string("probe"); kinds[name] = .text }
        let object = { (leaving: String?) -> JSONValue in
            .object(type.memberNames.compactMap { name in name == leaving ? nil : samples[name].map { (name, $0) } })
        }
        var decoded: (any StructureShape)?
        for _ in 0...(type.memberNames.count * 2) {
            do {
                decoded = try type.init(json: object(nil), at: ShapePath())
                break
            } catch {
                let message = error.message
                guard !message.hasPrefix("Missing required member"), let member = quoted(after: "member ", in: message) else { break }
                if message.hasSuffix("expected boolean, found string") {
                    samples[member] = .bool(false); kinds[member] = .bool
                } else if message.hasSuffix("expected number, found string") || message.hasSuffix("expected integer, found string") {
                    samples[member] = .number(1); kinds[member] = .number
                } else if message.hasSuffix("expected list, found string") {
                    samples[member] = .array([]); kinds[member] = .list
                } else if message.contains("must be one of ["), let list = message.split(separator: "[").last?.dropLast() {
                    let values = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    samples[member] = .string(values.first ?? ""); kinds[member] = .choice(values)
                } else if message.hasSuffix("expected object, found string") {
                    samples[member] = nil; kinds[member] = nil; nested.insert(member)
                } else {
                    // A map or something else that is not a form field.
                    samples[member] = nil; kinds[member] = nil
                }
            }
        }
        var nestedTypes: [String: any StructureShape.Type] = [:]
        if let decoded {
            for child in Mirror(reflecting: decoded).children {
                guard let label = child.label, nested.contains(label),
                      let optional = Swift.type(of: child.value) as? any OptionalMember.Type,
                      let shape = optional.wrappedType as? any StructureShape.Type else { continue }
                nestedTypes[label] = shape
            }
        }
        let items = type.memberNames.compactMap { name -> ProfileSection.Item? in
            var isRequired = false
            do { _ = try type.init(json: object(name), at: ShapePath()) } catch {
                isRequired = ((error as? AppFlowError)?.message ?? "").hasPrefix("Missing required member '\(name)'")
            }
            if let shape = nestedTypes[name] {
                return .section(probe(shape, group: group, path: path + [name], required: false))
            }
            guard let kind = kinds[name], samples[name] != nil else { return nil }
            return .field(ProfileField(path: path + [name], group: group, kind: kind, required: isRequired))
        }
        return ProfileSection(path: path, group: group, required: required, items: items)
    }

    private static func quoted(after marker: String, in text: String) -> String? {
        guard let start = text.range(of: marker + "'") else { return nil }
        let rest = text[start.upperBound...]
        return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
    }

    /// The object of one structure, from the form; empty fields are left out, so the service
    /// reports a missing required member at its path. Text typed into a number field is sent as
    /// text, so the service's type message lands next to that field. A nested optional structure
    /// is sent when something in it was typed, or when it is the alternative chosen.
    static func json(_ section: ProfileSection, form: ConsoleRequest) -> JSONValue.Members {
        let chosen = section.isChoice ? form.field(section.choiceName) : nil
        return section.items.compactMap { item -> (String, JSONValue)? in
            switch item {
            case .field(let field):
                return value(field, form: form).map { (field.member, $0) }
            case .section(let nested):
                if let chosen, nested.member != chosen { return nil }
                guard nested.required || chosen != nil || typed(nested, form: form) else { return nil }
                return (nested.member, .object(json(nested, form: form)))
            }
        }
    }

    private static func value(_ field: ProfileField, form: ConsoleRequest) -> JSONValue? {
        let raw = field.secret ? form.rawField(field.formName) : form.field(field.formName)
        switch field.kind {
        case .bool:
            return .bool(raw == "true")
        case .number:
            guard !raw.isEmpty else { return nil }
            return Double(raw).map(JSONValue.number) ?? .string(raw)
        case .list:
            let items = raw.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { JSONValue.string(String($0)) }
            return items.isEmpty ? nil : .array(items)
        case .text, .choice:
            return raw.isEmpty ? nil : .string(raw)
        }
    }

    /// Whether anything was typed below a structure (a boolean left at false is not typing).
    static func typed(_ section: ProfileSection, form: ConsoleRequest) -> Bool {
        section.fields.contains { $0.kind != .bool && !form.rawField($0.formName).isEmpty }
    }

    /// Form field name → the request member paths whose messages belong next to it. A
    /// structure's own messages (a missing member of a group left empty) go to its fieldset.
    static func errorFields(_ caps: ConnectorCapabilities) -> [String: [String]] {
        var map: [String: [String]] = [
            "connectorProfileName": ["connectorProfileName"], "connectionMode": ["connectionMode"], "kmsArn": ["kmsArn"],
        ]
        for group in [ProfileField.Group.properties, .credentials] {
            let container = group == .properties ? "connectorProfileProperties" : "connectorProfileCredentials"
            let root = "connectorProfileConfig.\(container).\(caps.propertiesKey)"
            let top = section(caps, group)
            for nested in top.allSections where !nested.path.isEmpty {
                map[nested.formName] = [([root] + nested.path).joined(separator: ".")]
            }
            for field in top.fields { map[field.formName] = [([root] + field.path).joined(separator: ".")] }
        }
        return map
    }
}

/// Lets the probe see the structure type inside a decoded member's `Optional`.
private protocol OptionalMember { static var wrappedType: Any.Type { get } }
extension Optional: OptionalMember { static var wrappedType: Any.Type { Wrapped.self } }
