import FlowlineAPI
import FlowlineService

/// The AppFlow operations a deploy makes, all through `AppFlowService.handle`, so every rule the
/// API enforces applies to templates too.
struct AppFlowCalls {
    let service: AppFlowService

    var account: AppFlowAccount { service.configuration.account }

    func call(_ operation: AppFlow.Operation, _ input: JSONValue) async throws(AppFlowError) -> JSONValue {
        try await service.handle(operation, input).json(.epochSeconds)
    }

    func create(_ kind: AppFlowResourceKind, _ requests: AppFlowRequests) async throws(AppFlowError) {
        _ = try await call(kind.isFlow ? .createFlow : .createConnectorProfile, requests.create)
        if kind.isFlow { try await applyFlowStatus(requests) }
    }

    /// Brings an existing resource from `old` to `new`: the update call only when its request
    /// changed, tag and untag calls for the tags that changed, then the flow status.
    func update(_ kind: AppFlowResourceKind, from old: AppFlowRequests?, to new: AppFlowRequests) async throws(AppFlowError) {
        if old.map({ canonical($0.update) != canonical(new.update) }) ?? true {
            _ = try await call(kind.isFlow ? .updateFlow : .updateConnectorProfile, new.update)
        }
        guard kind.isFlow else { return }
        let arn = account.flowArn(new.name)
        let oldTags = old?.tags ?? [:]
        let removed = oldTags.keys.filter { new.tags[$0] == nil }.sorted()
        if !removed.isEmpty {
            _ = try await call(.untagResource, .object([("resourceArn", .string(arn)), ("tagKeys", .array(removed.map { .string($0) }))]))
        }
        let changed = new.tags.filter { oldTags[$0.key] != $0.value }
        if !changed.isEmpty {
            _ = try await call(.tagResource, .object([("resourceArn", .string(arn)),
                                                      ("tags", .object(changed.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))]))
        }
        try await applyFlowStatus(new)
    }

    func delete(_ kind: AppFlowResourceKind, name: String) async throws(AppFlowError) {
        if kind.isFlow {
            _ = try await call(.deleteFlow, .object([("flowName", .string(name)), ("forceDelete", .bool(false))]))
        } else {
            _ = try await call(.deleteConnectorProfile, .object([("connectorProfileName", .string(name)), ("forceDelete", .bool(false))]))
        }
    }

    func exists(_ kind: AppFlowResourceKind, name: String) async throws(AppFlowError) -> Bool {
        if kind.isFlow {
            do {
                _ = try await call(.describeFlow, .object([("flowName", .string(name))]))
                return true
            } catch {
                if error.code == .resourceNotFound { return false }
                throw error
            }
        }
        return try await profile(name) != nil
    }

    /// A connector profile's credentials ARN, nil when no such profile exists yet.
    func credentialsArn(profileName: String) async throws(AppFlowError) -> String? {
        if case .string(let arn)? = try await profile(profileName)?["credentialsArn"] { return arn }
        return nil
    }

    private func profile(_ name: String) async throws(AppFlowError) -> JSONValue? {
        let response = try await call(.describeConnectorProfiles, .object([("connectorProfileNames", .array([.string(name)]))]))
        if case .array(let profiles)? = response["connectorProfileDetails"] { return profiles.first }
        return nil
    }

    /// CloudFormation's `FlowStatus`: `Active` → start-flow, `Suspended` → stop-flow, when the flow is
    /// not in that state already. It does nothing for on-demand flows (start-flow would run them).
    private func applyFlowStatus(_ requests: AppFlowRequests) async throws(AppFlowError) {
        guard let wanted = requests.flowStatus, wanted != "Draft", requests.triggerType != "OnDemand" else { return }
        let described = try await call(.describeFlow, .object([("flowName", .string(requests.name))]))
        guard described["flowStatus"] != .string(wanted) else { return }
        _ = try await call(wanted == "Active" ? .startFlow : .stopFlow, .object([("flowName", .string(requests.name))]))
    }
}

/// A JSON value with object members sorted by key, so two documents compare by content only.
func canonical(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let members): .object(members.map { ($0.key, canonical($0.value)) }.sorted { $0.key < $1.key })
    case .array(let items): .array(items.map(canonical))
    default: value
    }
}
