import FlowlineAPI
import FlowlineStore

/// One AppFlow resource of the template, resolved, with what the deploy will do to it.
struct PlannedResource {
    enum Action: Equatable {
        case create
        case update
        /// A new name: the new resource is created, the old one deleted after everything succeeded.
        case replace(oldName: String)
        case unchanged
    }

    let resource: TemplateResource
    let kind: AppFlowResourceKind
    var properties: JSONValue
    var requests: AppFlowRequests
    var previous: StackResourceRecord?
    var previousState: StoredProperties?
    var action: Action

    var logicalId: String { resource.logicalId }
    /// What the stack keeps of it; `noEcho` values are sealed, not stored in the document.
    func stored(noEcho: NoEchoValues) -> StoredProperties {
        StoredProperties(properties: properties, retainOnDelete: resource.retainOnDelete, noEcho: noEcho)
    }
}

/// Resolves a whole template against the stack's previous state and decides, before anything
/// changes, what each resource needs: every template error surfaces here.
struct StackPlan {
    let template: Template
    let parameters: ParameterValues
    let stackName: String
    let stackId: String
    let calls: AppFlowCalls
    /// Deploy order (dependencies first); AppFlow resources only.
    private(set) var order: [String] = []
    private(set) var planned: [String: PlannedResource] = [:]
    /// Resources Flowline does not deploy.
    private(set) var skipped: [TemplateResource] = []
    /// Previous resources no longer in the template.
    private(set) var removed: [StackResourceRecord] = []

    init(template: Template, parameters: ParameterValues, stackName: String, stackId: String, calls: AppFlowCalls) {
        self.template = template
        self.parameters = parameters
        self.stackName = stackName
        self.stackId = stackId
        self.calls = calls
    }

    /// Parameter and pseudo parameter values.
    var values: [String: JSONValue] {
        var values = parameters.values
        values["AWS::Region"] = .string(calls.account.region)
        values["AWS::AccountId"] = .string(calls.account.accountId)
        values["AWS::StackName"] = .string(stackName)
        values["AWS::StackId"] = .string(stackId)
        values["AWS::Partition"] = .string("aws")
        values["AWS::URLSuffix"] = .string("amazonaws.com")
        values["AWS::NotificationARNs"] = .array([])
        return values
    }

    mutating func prepare(previous: [StackResourceRecord]) async throws(StackError) {
        let ids = Set(template.resources.map(\.logicalId))
        var dependencies: [String: Set<String>] = [:]
        for resource in template.resources {
            for dependency in resource.dependsOn where !ids.contains(dependency) {
                throw .template("Unresolved resource dependencies [\(dependency)] in the Resources block of the template (DependsOn of \(resource.logicalId))")
            }
            let referenced = IntrinsicResolver.referencedNames(in: resource.properties).filter { ids.contains($0) }
            dependencies[resource.logicalId] = referenced.union(resource.dependsOn)
        }
        skipped = template.resources.filter { !$0.isAppFlow }
        let appFlowIds = template.resources.filter(\.isAppFlow).map(\.logicalId)
        order = try DependencyOrder.sorted(appFlowIds, dependencies: dependencies)

        let previousById = Dictionary(previous.map { ($0.logicalId, $0) }, uniquingKeysWith: { a, _ in a })
        for id in order {
            guard let resource = template.resource(id), let kind = AppFlowResourceKind.of(resource.type) else { continue }
            let properties = try await resolve(resource)
            let requests = try kind.requests(properties, logicalId: id)
            var entry = PlannedResource(resource: resource, kind: kind, properties: properties, requests: requests,
                                        previous: previousById[id], previousState: nil, action: .create)
            if let record = previousById[id] {
                guard record.resourceType == resource.type else {
                    throw .property(id, resource.type, "Type", "was \(record.resourceType) in this stack; a logical id cannot change type (rename the resource)")
                }
                entry.previousState = try StoredProperties(document: record.properties, secrets: record.secrets)
            }
            entry.action = try await action(for: entry)
            planned[id] = entry
        }

        // A flow naming a profile of the template goes after it, even without a Ref.
        let profileIds = Dictionary(planned.values.filter { !$0.kind.isFlow }.map { ($0.requests.name, $0.logicalId) },
                                    uniquingKeysWith: { a, _ in a })
        for entry in planned.values where entry.kind.isFlow {
            var names: [JSONValue] = [entry.requests.create["sourceFlowConfig"]?["connectorProfileName"] ?? .null]
            if case .array(let destinations)? = entry.requests.create["destinationFlowConfigList"] {
                names += destinations.map { $0["connectorProfileName"] ?? .null }
            }
            for case .string(let name) in names {
                if let profileId = profileIds[name] { dependencies[entry.logicalId, default: []].insert(profileId) }
            }
        }
        order = try DependencyOrder.sorted(order, dependencies: dependencies)
        try checkNames()
        for output in template.outputs {
            _ = try await resolveOutput(output)
        }
        removed = previous.filter { planned[$0.logicalId] == nil }
    }

    /// The resource's properties with every intrinsic function resolved, references to other
    /// resources taking the names and ARNs they have (or will have).
    func resolve(_ resource: TemplateResource) async throws(StackError) -> JSONValue {
        let resolver = try await resolver()
        do {
            return try resolver.resolve(resource.properties, at: "") ?? .object([])
        } catch {
            throw .property(resource.logicalId, resource.type, error.path.isEmpty ? nil : error.path, error.message)
        }
    }

    func resolveOutput(_ output: (name: String, value: JSONValue)) async throws(StackError) -> String {
        let resolver = try await resolver()
        do {
            return try resolver.resolve(output.value, at: "").map(\.compact) ?? ""
        } catch {
            throw StackError(.validation, "Output \(output.name): \(error.message)")
        }
    }

    /// Credentials ARNs are only known once a profile exists; they are looked up before resolving.
    private func resolver() async throws(StackError) -> IntrinsicResolver {
        var credentials: [String: String] = [:]
        for entry in planned.values where !entry.kind.isFlow {
            do {
                if let arn = try await calls.credentialsArn(profileName: entry.requests.name) {
                    credentials[entry.logicalId] = arn
                }
            } catch {
                throw StackError(.validation, "Cannot read connector profile \(entry.requests.name): \(error.message)")
            }
        }
        let planned = self.planned
        let account = calls.account
        let types = Dictionary(template.resources.map { ($0.logicalId, $0.type) }, uniquingKeysWith: { a, _ in a })
        return IntrinsicResolver(parameters: values, mappings: template.mappings, resourceTypes: types) { id, attribute throws(ResolutionError) in
            let type = types[id] ?? "?"
            guard let kind = AppFlowResourceKind.of(type) else {
                throw ResolutionError(path: "", message: "\(id) is a \(type) resource, which Flowline does not deploy, so its Ref and attributes cannot be resolved")
            }
            guard let name = planned[id]?.requests.name else {
                throw ResolutionError(path: "", message: "\(id) is referenced before it was resolved")
            }
            switch attribute {
            case nil: return .string(name)
            case "FlowArn"? where kind.isFlow: return .string(account.flowArn(name))
            case "ConnectorProfileArn"? where !kind.isFlow: return .string(account.connectorProfileArn(name))
            case "CredentialsArn"? where !kind.isFlow: return .string(credentials[id] ?? account.credentialsArn(name))
            case let other?:
                throw ResolutionError(path: "", message: "Template error: resource \(id) does not support attribute type \(other) in Fn::GetAtt (\(type) has \(kind.attributes.joined(separator: ", ")))")
            }
        }
    }

    private func action(for entry: PlannedResource) async throws(StackError) -> PlannedResource.Action {
        guard let previous = entry.previous, let state = entry.previousState else { return .create }
        if previous.physicalId != entry.requests.name { return .replace(oldName: previous.physicalId) }
        if state.sameProperties(as: entry.properties) { return .unchanged }
        for property in entry.kind.createOnly where property != entry.kind.nameProperty {
            if canonical(state.properties[property] ?? .null) != canonical(entry.properties[property] ?? .null) {
                throw .property(entry.logicalId, entry.kind.type, property,
                                "changing it requires replacing \(entry.requests.name), which cannot keep its name; give the resource a new \(entry.kind.nameProperty) as well")
            }
        }
        return .update
    }

    /// Names are unique per type in the template, and a name this deploy creates is not taken.
    private func checkNames() throws(StackError) {
        var seen: [String: String] = [:]
        for id in order {
            guard let entry = planned[id] else { continue }
            let key = "\(entry.kind.type)/\(entry.requests.name)"
            if let other = seen[key] {
                throw .property(id, entry.kind.type, entry.kind.nameProperty, "\(entry.requests.name) is also the name of \(other)")
            }
            seen[key] = id
        }
    }

    /// Resources this deploy creates whose names exist already outside this stack's records.
    func takenNames(store: MetadataStore) throws(StackError) {
        let owned = Set(planned.values.compactMap { $0.previous.map { "\($0.resourceType)/\($0.physicalId)" } })
            .union(removed.map { "\($0.resourceType)/\($0.physicalId)" })
        for id in order {
            guard let entry = planned[id] else { continue }
            switch entry.action {
            case .create, .replace: break
            default: continue
            }
            let name = entry.requests.name
            guard !owned.contains("\(entry.kind.type)/\(name)") else { continue }
            let exists: Bool
            do {
                exists = try store.read { tx in
                    entry.kind.isFlow ? try tx.flow(named: name) != nil : try tx.profile(named: name) != nil
                }
            } catch {
                throw StackError(.validation, "Cannot read the Flowline store: \(error)")
            }
            if exists {
                throw .property(id, entry.kind.type, entry.kind.nameProperty,
                                "\(name) already exists and is not part of stack \(stackName)")
            }
        }
    }
}
