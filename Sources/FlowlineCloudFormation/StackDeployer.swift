import Foundation
import FlowlineAPI
import FlowlineService
import FlowlineStore

/// Deploys CloudFormation templates of `AWS::AppFlow::ConnectorProfile` and `AWS::AppFlow::Flow`
/// resources as named stacks, through the same operations as the API.
///
/// A deploy reads and resolves the whole template, then plans every resource (create, update,
/// replace, unchanged) and checks each one's API requests before the first change. Resources are
/// then changed in dependency order, each recorded in the stack as soon as it is done; if one fails,
/// what this deploy created is deleted and what it updated is put back, as CloudFormation rolls
/// back. Resources no longer in the template are deleted last (flows before profiles).
public final class StackDeployer: Sendable {
    let calls: AppFlowCalls
    let store: MetadataStore
    /// Called with one line per resource change as it happens (for the CLI's progress).
    let progress: (@Sendable (String) -> Void)?
    /// The NoEcho values of the deploy under way: sealed in the stack's records.
    let noEcho: NoEchoValues

    public init(service: AppFlowService, progress: (@Sendable (String) -> Void)? = nil) throws(StackError) {
        calls = AppFlowCalls(service: service)
        self.progress = progress
        noEcho = NoEchoValues([])
        do {
            store = try MetadataStore(home: service.configuration.home)
        } catch {
            throw StackError(.validation, "Cannot open the Flowline store: \(error)")
        }
    }

    private init(calls: AppFlowCalls, store: MetadataStore, progress: (@Sendable (String) -> Void)?, noEcho: NoEchoValues) {
        self.calls = calls
        self.store = store
        self.progress = progress
        self.noEcho = noEcho
    }

    /// A template longer than CloudFormation accepts (1 MB) is refused before it is read.
    public static func checkTemplateSize(_ byteCount: Int) throws(StackError) {
        try TemplateLimits.checkSize(byteCount)
    }

    /// CloudFormation's stack name rule.
    public static func checkStackName(_ name: String) throws(StackError) {
        let valid = name.count <= 128 && name.first.map { $0.isASCII && $0.isLetter } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard valid else {
            throw StackError(.validation, "1 validation error detected: Value '\(name)' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*")
        }
    }

    public func deploy(templateText: String, stackName: String,
                       parameterOverrides: [String: String] = [:]) async throws(StackError) -> DeployReport {
        try Self.checkStackName(stackName)
        let template = try Template(TemplateDocument.parse(templateText))
        let parameters = try ParameterValues(template: template, overrides: parameterOverrides)
        // From here on the NoEcho values are known: whatever the deploy prints, throws or reports
        // shows **** in their place, and the stack's records keep them sealed.
        let noEcho = parameters.noEcho
        var maskedProgress: (@Sendable (String) -> Void)?
        if let progress {
            maskedProgress = { line in progress(noEcho.masked(line)) }
        }
        let masking = StackDeployer(calls: calls, store: store, progress: maskedProgress, noEcho: noEcho)
        do throws(StackError) {
            var report = try await masking.deployResolved(template, parameters: parameters, templateText: templateText, stackName: stackName)
            report.outputs = report.outputs.map { output in (name: output.name, value: noEcho.masked(output.value)) }
            report.changes = report.changes.map { change in
                var change = change
                change.physicalId = change.physicalId.map { noEcho.masked($0) }
                change.detail = change.detail.map { noEcho.masked($0) }
                return change
            }
            return report
        } catch {
            throw noEcho.masked(error)
        }
    }

    private func deployResolved(_ template: Template, parameters: ParameterValues, templateText: String,
                                stackName: String) async throws(StackError) -> DeployReport {
        let existing = try storeRead { tx in try tx.stack(named: stackName) }
        let previous = try storeRead { tx in try tx.stackResources(stackName: stackName) }
        let stackId = existing?.stackId ?? "arn:aws:cloudformation:\(calls.account.region):\(calls.account.accountId):stack/\(stackName)/\(UUID().uuidString.lowercased())"

        var plan = StackPlan(template: template, parameters: parameters, stackName: stackName, stackId: stackId, calls: calls)
        try await plan.prepare(previous: previous)
        try plan.takenNames(store: store)

        var report = DeployReport(stackName: stackName, stackId: stackId, created: existing == nil, changes: [], outputs: [])
        let replaced = plan.order.compactMap { id -> StackResourceRecord? in
            guard case .replace = plan.planned[id]?.action else { return nil }
            return plan.planned[id]?.previous
        }
        let hasWork = existing == nil || !plan.removed.isEmpty || plan.order.contains { plan.planned[$0]?.action != .unchanged }
        let now = Date()
        let stackRecord = StackRecord(
            name: stackName, stackId: stackId, status: existing == nil ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS",
            templateHash: StackRecord.hash(of: templateText), parameters: JSONValue.object(parameters.recorded).serialized(),
            createdAt: existing?.createdAt ?? now, lastUpdatedAt: now)
        if hasWork {
            try storeWrite { tx in try tx.putStack(stackRecord) }
        }

        var journal = DeployJournal()
        for (position, id) in plan.order.enumerated() {
            guard var entry = plan.planned[id] else { continue }
            do throws(ApplyError) {
                // Resolved again now that the resources before it exist (credentials ARNs are real).
                do {
                    entry.properties = try await plan.resolve(entry.resource)
                    entry.requests = try entry.kind.requests(entry.properties, logicalId: id)
                } catch {
                    throw ApplyError(message: error.message, cause: nil)
                }
                if entry.action == .update, let state = entry.previousState, state.sameProperties(as: entry.properties) {
                    entry.action = .unchanged
                }
                try await apply(entry, position: position, stackName: stackName, journal: &journal)
                report.changes.append(ResourceChange(
                    logicalId: id, resourceType: entry.kind.type, physicalId: entry.requests.name,
                    action: entry.action == .unchanged ? .unchanged : (entry.action == .update ? .updated : .created)))
            } catch {
                let undone = await rollBack(journal, stackName: stackName, existing: existing)
                let verb = entry.action == .update ? "UPDATE_FAILED" : "CREATE_FAILED"
                throw StackError(.resourceFailed, "Resource \(id) (\(entry.kind.type)) \(verb): \(error.message). \(undone)",
                                 cause: error.cause)
            }
        }
        for resource in plan.skipped {
            report.changes.append(ResourceChange(logicalId: resource.logicalId, resourceType: resource.type, physicalId: nil,
                                                 action: .skipped, detail: "Flowline deploys only AWS::AppFlow::ConnectorProfile and AWS::AppFlow::Flow"))
        }

        // Cleanup: what the template no longer has, and what was replaced; flows before profiles.
        let obsolete = (plan.removed + replaced).sorted { a, b in
            let aFlow = a.resourceType == TemplateResource.flowType, bFlow = b.resourceType == TemplateResource.flowType
            return aFlow != bFlow ? aFlow : a.position > b.position
        }
        for record in obsolete {
            let change = await remove(record, keepRow: plan.planned[record.logicalId] != nil)
            report.changes.append(change)
        }

        if hasWork {
            var done = stackRecord
            done.status = existing == nil ? "CREATE_COMPLETE" : "UPDATE_COMPLETE"
            done.lastUpdatedAt = Date()
            try storeWrite { tx in try tx.putStack(done) }
        }
        for output in template.outputs {
            report.outputs.append((output.name, try await plan.resolveOutput(output)))
        }
        return report
    }

    /// Deletes what the stack created (flows before profiles) and then the stack. A stack that
    /// does not exist is not an error, as in CloudFormation.
    public func deleteStack(name: String) async throws(StackError) -> [ResourceChange] {
        try Self.checkStackName(name)
        guard var stack = try storeRead({ tx in try tx.stack(named: name) }) else { return [] }
        let resources = try storeRead { tx in try tx.stackResources(stackName: name) }
        stack.status = "DELETE_IN_PROGRESS"
        stack.lastUpdatedAt = Date()
        let marked = stack
        try storeWrite { tx in try tx.putStack(marked) }
        let ordered = resources.sorted { a, b in
            let aFlow = a.resourceType == TemplateResource.flowType, bFlow = b.resourceType == TemplateResource.flowType
            return aFlow != bFlow ? aFlow : a.position > b.position
        }
        var changes: [ResourceChange] = []
        for record in ordered {
            let change = await remove(record, keepRow: false)
            changes.append(change)
            if change.action == .deleteFailed {
                stack.status = "DELETE_FAILED"
                let failed = stack
                try storeWrite { tx in try tx.putStack(failed) }
                throw StackError(.resourceFailed, "Stack \(name) DELETE_FAILED: resource \(record.logicalId) (\(record.physicalId)) could not be deleted: \(change.detail ?? "")")
            }
        }
        try storeWrite { tx in try tx.deleteStack(named: name) }
        return changes
    }

    public func describeStackResources(name: String) throws(StackError) -> [StackResourceSummary] {
        try Self.checkStackName(name)
        guard let stack = try storeRead({ tx in try tx.stack(named: name) }) else {
            throw StackError(.validation, "Stack with id \(name) does not exist")
        }
        return try storeRead { tx in try tx.stackResources(stackName: name) }.map {
            StackResourceSummary(stackName: name, stackId: stack.stackId, logicalResourceId: $0.logicalId,
                                 physicalResourceId: $0.physicalId, resourceType: $0.resourceType,
                                 resourceStatus: $0.status, timestamp: $0.lastUpdatedAt)
        }
    }

    // MARK: - Applying one resource

    private func apply(_ entry: PlannedResource, position: Int, stackName: String, journal: inout DeployJournal) async throws(ApplyError) {
        let status: String
        switch entry.action {
        case .unchanged:
            return
        case .create, .replace:
            do {
                try await calls.create(entry.kind, entry.requests)
            } catch {
                // A create that failed after the resource was made (e.g. its start-flow) still rolls it back.
                if (try? await calls.exists(entry.kind, name: entry.requests.name)) == true {
                    journal.steps.append(.created(entry))
                }
                throw ApplyError(message: "\(error.code.rawValue): \(error.message)", cause: error)
            }
            journal.steps.append(.created(entry))
            status = "CREATE_COMPLETE"
        case .update:
            let old = try? entry.previousState.map { state in try entry.kind.requests(state.properties, logicalId: entry.logicalId) }
            journal.steps.append(.updated(entry, old: old ?? nil))
            do {
                try await calls.update(entry.kind, from: old ?? nil, to: entry.requests)
            } catch {
                throw ApplyError(message: "\(error.code.rawValue): \(error.message)", cause: error)
            }
            status = "UPDATE_COMPLETE"
        }
        progress?("\(status) \(entry.kind.type) \(entry.logicalId) (\(entry.requests.name))")
        let encoded = entry.stored(noEcho: noEcho).encoded
        let record = StackResourceRecord(stackName: stackName, logicalId: entry.logicalId, resourceType: entry.kind.type,
                                         physicalId: entry.requests.name, status: status, properties: encoded.document,
                                         secrets: encoded.secrets, position: position, lastUpdatedAt: Date())
        do {
            try store.write { tx in try tx.putStackResource(record) }
        } catch {
            throw ApplyError(message: "the stack record could not be written: \(error)", cause: nil)
        }
    }

    /// Deletes one recorded resource (unless retained) and its row; a failure is reported, not thrown.
    private func remove(_ record: StackResourceRecord, keepRow: Bool) async -> ResourceChange {
        guard let kind = AppFlowResourceKind.of(record.resourceType) else {
            return ResourceChange(logicalId: record.logicalId, resourceType: record.resourceType, physicalId: record.physicalId,
                                  action: .deleteFailed, detail: "unknown resource type")
        }
        let retain = (try? StoredProperties(document: record.properties, secrets: nil))?.retainOnDelete ?? false
        var action = ResourceChange.Action.retained
        if !retain {
            do {
                if try await calls.exists(kind, name: record.physicalId) {
                    try await calls.delete(kind, name: record.physicalId)
                }
                action = .deleted
            } catch {
                progress?("DELETE_FAILED \(record.resourceType) \(record.logicalId) (\(record.physicalId)): \(error.message)")
                if !keepRow {
                    var failed = record
                    failed.status = "DELETE_FAILED"
                    try? store.write { tx in try tx.putStackResource(failed) }
                }
                return ResourceChange(logicalId: record.logicalId, resourceType: record.resourceType, physicalId: record.physicalId,
                                      action: .deleteFailed, detail: "\(error.code.rawValue): \(error.message)")
            }
        }
        progress?("\(action.rawValue) \(record.resourceType) \(record.logicalId) (\(record.physicalId))")
        if !keepRow {
            try? store.write { tx in try tx.deleteStackResource(stackName: record.stackName, logicalId: record.logicalId) }
        }
        return ResourceChange(logicalId: record.logicalId, resourceType: record.resourceType, physicalId: record.physicalId, action: action)
    }

    // MARK: - Rollback

    /// Undoes a failed deploy's steps in reverse: deletes what it created, puts back what it updated.
    /// Returns the sentence the error ends with.
    private func rollBack(_ journal: DeployJournal, stackName: String, existing: StackRecord?) async -> String {
        var undone: [String] = []
        var failures: [String] = []
        for step in journal.steps.reversed() {
            switch step {
            case .created(let entry):
                do {
                    try await calls.delete(entry.kind, name: entry.requests.name)
                    undone.append("deleted \(entry.logicalId) (\(entry.requests.name))")
                } catch {
                    failures.append("\(entry.logicalId) (\(entry.requests.name)): \(error.message)")
                }
                restoreRow(entry.previous, stackName: stackName, logicalId: entry.logicalId)
            case .updated(let entry, let old):
                guard let old else {
                    failures.append("\(entry.logicalId): its previous properties are unknown")
                    continue
                }
                do {
                    try await calls.update(entry.kind, from: entry.requests, to: old)
                    undone.append("restored \(entry.logicalId) (\(entry.requests.name))")
                } catch {
                    failures.append("\(entry.logicalId) (\(entry.requests.name)): \(error.message)")
                }
                restoreRow(entry.previous, stackName: stackName, logicalId: entry.logicalId)
            }
        }
        if var stack = existing {
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
            stack.lastUpdatedAt = Date()
            let restored = stack
            try? store.write { tx in try tx.putStack(restored) }
        } else {
            try? store.write { tx in try tx.deleteStack(named: stackName) }
        }
        var sentence = undone.isEmpty ? "Nothing had been changed." : "Rolled back: \(undone.joined(separator: ", "))."
        if existing == nil { sentence += " Stack \(stackName) was not created." }
        if !failures.isEmpty { sentence += " The rollback could not undo: \(failures.joined(separator: "; "))." }
        return sentence
    }

    private func restoreRow(_ previous: StackResourceRecord?, stackName: String, logicalId: String) {
        try? store.write { tx in
            if let previous {
                try tx.putStackResource(previous)
            } else {
                try tx.deleteStackResource(stackName: stackName, logicalId: logicalId)
            }
        }
    }

    // MARK: - Store access

    private func storeRead<T>(_ body: (ReadTransaction) throws -> T) throws(StackError) -> T {
        do {
            return try store.read(body)
        } catch {
            throw StackError(.validation, "Cannot read the Flowline store: \(error)")
        }
    }

    private func storeWrite<T>(_ body: (WriteTransaction) throws -> T) throws(StackError) -> T {
        do {
            return try store.write(body)
        } catch {
            throw StackError(.resourceFailed, "Cannot write the Flowline store: \(error)")
        }
    }
}

/// What a deploy has changed so far, for its rollback.
struct DeployJournal {
    enum Step {
        case created(PlannedResource)
        case updated(PlannedResource, old: AppFlowRequests?)
    }

    var steps: [Step] = []
}

/// A resource step that failed.
struct ApplyError: Error {
    var message: String
    var cause: AppFlowError?
}
