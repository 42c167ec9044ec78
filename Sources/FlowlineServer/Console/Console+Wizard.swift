import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import Hummingbird

/// The create-flow wizard: one page per step, the draft kept in the session. Each step is checked
/// by the model's rules when it is left; create (or save) runs the service's full checks, and its
/// messages are shown on the step and next to the field they concern.
extension Console {
    func wizard(_ request: ConsoleRequest, _ session: ConsoleSession, _ path: [String]) async -> Response {
        if path == ["new"] {
            sessions.update(session.id) { $0.draft = FlowDraft() }
            return ConsoleResponse.redirect("/console/wizard/details")
        }
        if path == ["check-name"], request.method == "GET" {
            return await checkName(request.queryValue("flowName") ?? "", session: session)
        }
        guard path.count == 1, let step = FlowDraft.Step(rawValue: path[0]) else { return notFound() }
        var draft = session.draft ?? FlowDraft()
        let action = request.field("action")
        if request.method == "POST" {
            read(request, step: step, into: &draft)
            draft.pendingErrors[step] = nil
            if action == "refresh" { draft.sourceFields = nil }
        } else if request.method != "GET" {
            return notFound()
        }
        // The source's fields and types, read once per source, for every step after the source is chosen.
        if step != .details, step != .connections, draft.currentFields == nil, !draft.sourceEntity.isEmpty {
            draft.sourceFields = await loadSourceFields(draft)
            let fields = draft.sourceFields
            sessions.update(session.id) { $0.draft?.sourceFields = fields }
        }
        if request.method == "GET" {
            let errors = draft.pendingErrors[step] ?? FieldErrors()
            return await stepPage(step, draft: draft, session: session, errors: errors)
        }
        if step == .review && action == "create" {
            return await create(draft, session: session)
        }
        let index = FlowDraft.Step.allCases.firstIndex(of: step)!
        if action == "back" {
            sessions.update(session.id) { $0.draft = draft }
            return ConsoleResponse.redirect("/console/wizard/\(FlowDraft.Step.allCases[max(0, index - 1)].rawValue)")
        }
        if action.hasPrefix("add-") || action.hasPrefix("remove-") || action == "refresh" {
            change(action, in: &draft)
            sessions.update(session.id) { $0.draft = draft }
            return await stepPage(step, draft: draft, session: session, errors: FieldErrors())
        }
        var errors = check(draft, step: step)
        if step == .connections, draft.sourceEntity.isEmpty {
            errors.add("Choose the source \(draft.sourceType == "S3" ? "bucket" : "object"); Load objects lists them.", to: "sourceEntity")
        }
        if step == .filters { errors.merge(filterOperatorErrors(draft)) }
        sessions.update(session.id) { $0.draft = draft }
        guard errors.isEmpty else { return await stepPage(step, draft: draft, session: session, errors: errors, status: 400) }
        return ConsoleResponse.redirect("/console/wizard/\(FlowDraft.Step.allCases[min(index + 1, FlowDraft.Step.allCases.count - 1)].rawValue)")
    }

    /// The flow name as typed, by the model's rule and against existing flows (for the script's live check).
    private func checkName(_ name: String, session: ConsoleSession) async -> Response {
        var draft = session.draft ?? FlowDraft()
        draft.flowName = name
        var message = check(draft, step: .details)["flowName"].joined(separator: " ")
        if message.isEmpty, draft.editing == nil, !name.isEmpty,
           (try? await call(.describeFlow, .object([("flowName", .string(name))]), as: AppFlow.DescribeFlowResponse.self)) != nil {
            message = "A flow named \(name) already exists"
        }
        let text = JSONValue.object([("message", .string(message))]).serialized()
        return ConsoleResponse.json(String(decoding: text, as: UTF8.self))
    }

    /// The model's constraints (patterns, lengths, counts) on the whole draft, keeping the messages of this step.
    func check(_ draft: FlowDraft, step: FlowDraft.Step) -> FieldErrors {
        let json: JSONValue
        do {
            json = try draft.request(forUpdate: draft.editing != nil)
        } catch {
            // The schedule's times are read while the request is built; so is the mapping CSV.
            let scheduleField = ["scheduleStartTime": "scheduleStart", "scheduleEndTime": "scheduleEnd"].first { error.message.hasPrefix($0.key) }?.value
            var errors = FieldErrors()
            if step == .trigger, let scheduleField { errors.add(error.message, to: scheduleField) }
            if step == .mapping, scheduleField == nil { errors.add(error.message, to: "mapping") }
            return errors
        }
        do {
            let request = try AppFlow.CreateFlowRequest(json: json, at: ShapePath())
            try request.validate()
            return FieldErrors()
        } catch {
            return draft.errorsByStep(error)[step] ?? FieldErrors()
        }
    }

    /// A filter whose operator does not apply to the type it compares as (a `contains` on numbers,
    /// a `greater than` on text): said next to its row, before the service is asked.
    private func filterOperatorErrors(_ draft: FlowDraft) -> FieldErrors {
        var errors = FieldErrors()
        for (i, row) in draft.filters.enumerated() where !row.field.isEmpty && !draft.filterOperators(row).contains(row.op) {
            let type = draft.comparisonType(row).map { DataTypeName.label($0) } ?? "this field"
            errors.add("“\(FilterOperators.label(row.op))” does not apply to \(row.field) as \(type); choose another comparison or another data type.",
                       to: "filter-\(i)")
        }
        return errors
    }

    /// The fields of the draft's source and their types: an S3 source's from sampling its objects,
    /// an application's from describe-connector-entity.
    func loadSourceFields(_ d: FlowDraft) async -> SourceFieldList {
        let key = d.sourceFieldsKey
        if d.sourceType == "S3" {
            do {
                let sampled = try await service.sampleS3Fields(entity: d.sourceEntityName, fileType: d.sourceFileType)
                return SourceFieldList(key: key, fields: sampled.map { WizardField(name: $0.name, sourceType: $0.sourceType, sampledType: $0.sampledType) })
            } catch {
                return SourceFieldList(key: key, fields: [], error: "The source's fields could not be read: \(error.message)")
            }
        }
        var input: JSONValue.Members = [("connectorEntityName", .string(d.sourceEntityName))]
        if d.sourceProfile.isEmpty { input.append(("connectorType", .string(d.sourceType))) } else { input.append(("connectorProfileName", .string(d.sourceProfile))) }
        do {
            let response: AppFlow.DescribeConnectorEntityResponse = try await call(.describeConnectorEntity, .object(input))
            return SourceFieldList(key: key, fields: response.connectorEntityFields.map { f in
                let details = f.supportedFieldTypeDetails?.v1
                let type = details.flatMap { FieldType(appFlowName: $0.fieldType) } ?? .string
                let operators = details?.filterOperators.map(\.rawValue).filter { $0 != "PROJECTION" && $0 != "NO_OP" }
                return WizardField(name: f.identifier, sourceType: type, sampledType: type, operators: operators)
            })
        } catch {
            return SourceFieldList(key: key, fields: [], error: "The source's fields could not be read: \(error.message)")
        }
    }

    private func create(_ draft: FlowDraft, session: ConsoleSession) async -> Response {
        do {
            if let name = draft.editing {
                let _: AppFlow.UpdateFlowResponse = try await call(.updateFlow, try draft.request(forUpdate: true))
                sessions.update(session.id) { $0.draft = nil }
                return ConsoleResponse.redirect("/console/flows/\(HTML.pathSegment(name))?notice=" + HTML.pathSegment("Saved flow \(name)"))
            }
            let _: AppFlow.CreateFlowResponse = try await call(.createFlow, try draft.request())
            sessions.update(session.id) { $0.draft = nil }
            return ConsoleResponse.redirect("/console/flows/\(HTML.pathSegment(draft.flowName))?notice=" + HTML.pathSegment("Created flow \(draft.flowName)"))
        } catch {
            var kept = draft
            kept.pendingErrors = draft.errorsByStep(error)
            // The mapping CSV is read while the request is built: its messages belong to the mapping step.
            if error.message.hasPrefix("Field mapping CSV") || error.message.hasPrefix("The field mapping CSV") {
                kept.pendingErrors = [.mapping: { var e = FieldErrors(); e.add(error.message, to: "mapping"); return e }()]
            }
            sessions.update(session.id) { $0.draft = kept }
            let first = FlowDraft.Step.allCases.first { kept.pendingErrors[$0] != nil } ?? .review
            return ConsoleResponse.redirect("/console/wizard/\(first.rawValue)")
        }
    }

    // MARK: Reading a step's form

    private func read(_ r: ConsoleRequest, step: FlowDraft.Step, into d: inout FlowDraft) {
        switch step {
        case .details:
            if d.editing == nil { d.flowName = r.field("flowName"); d.kmsArn = r.field("kmsArn"); d.tagsText = r.rawField("tags") }
            d.description = r.field("description")
        case .connections:
            let before = d.sourceFieldsKey
            defer {
                // Another source: the fields picked and typed for the old one no longer apply.
                if d.sourceFieldsKey != before { d.pickedFields = []; d.mappings = [] }
            }
            let sourceType = r.field("sourceType").isEmpty ? "S3" : r.field("sourceType")
            let destinationType = r.field("destinationType")
            if sourceType != d.sourceType {
                // Another connector: the connection and object chosen for the old one no longer apply.
                d.sourceType = sourceType; d.sourceEntity = ""; d.sourceProfile = ""
            } else {
                if r.field("sourceProfile") != d.sourceProfile { d.sourceEntity = "" }
                d.sourceProfile = r.field("sourceProfile")
                if !r.field("sourceEntity").isEmpty { d.sourceEntity = r.field("sourceEntity") }
            }
            d.destinationType = destinationType.isEmpty ? "S3" : destinationType
            d.sourcePrefix = r.field("sourcePrefix"); d.sourceFileType = r.field("sourceFileType").isEmpty ? "CSV" : r.field("sourceFileType")
            d.destinationProfile = r.field("destinationProfile"); d.destinationBucket = r.field("destinationBucket")
            d.destinationPrefix = r.field("destinationPrefix"); d.destinationFileType = r.field("destinationFileType").isEmpty ? "CSV" : r.field("destinationFileType")
            d.destinationObject = r.field("destinationObject"); d.intermediateBucket = r.field("intermediateBucket")
            d.preserveTypes = r.field("preserveTypes") == "true"
        case .trigger:
            d.triggerType = r.field("triggerType").isEmpty ? "OnDemand" : r.field("triggerType")
            let frequency = r.field("scheduleKind")
            d.scheduleExpression = frequency == "cron" ? "cron(\(r.field("cron")))" : "rate(\(r.field("rateValue"))\(r.field("rateUnit")))"
            d.dataPullMode = r.field("dataPullMode").isEmpty ? "Complete" : r.field("dataPullMode")
            d.datetimeField = r.field("datetimeField")
            d.scheduleStart = r.field("scheduleStart"); d.scheduleEnd = r.field("scheduleEnd")
            d.timezone = r.field("timezone").isEmpty ? "UTC" : r.field("timezone")
        case .mapping:
            d.mappingMode = r.field("mappingMode").isEmpty ? "all" : r.field("mappingMode")
            d.pickedFields = r.fields("pickedFields")
            d.csvText = r.rawField("csvText")
            let types = r.fields("map.type"), destinations = r.fields("map.destination")
            for (i, source) in r.fields("map.source").enumerated() {
                let row = FlowDraft.FieldMapping(source: source, destination: destinations[safe: i]?.trimmingCharacters(in: .whitespaces) ?? "",
                                                 dataType: types[safe: i] ?? "")
                if let at = d.mappings.firstIndex(where: { $0.source == source }) { d.mappings[at] = row } else { d.mappings.append(row) }
            }
            d.merges = zip4(r.fields("merge.first"), r.fields("merge.second"), r.fields("merge.format"), r.fields("merge.destination"))
                .map { FlowDraft.MergeRow(first: $0, second: $1, format: $2, destination: $3) }
            d.masks = zip4(r.fields("mask.field"), r.fields("mask.op"), r.fields("mask.length"), r.fields("mask.character"))
                .map { FlowDraft.MaskRow(field: $0, op: $1, length: $2, character: $3) }
            d.truncates = zip(r.fields("truncate.field"), r.fields("truncate.length")).map { FlowDraft.TruncateRow(field: $0, length: $1) }
            d.validations = zip4(r.fields("validation.field"), r.fields("validation.op"), r.fields("validation.action"), r.fields("validation.action"))
                .map { FlowDraft.ValidationRow(field: $0.0, op: $0.1, action: $0.2) }
        case .filters:
            d.filters = zip4(r.fields("filter.field"), r.fields("filter.op"), r.fields("filter.value"), r.fields("filter.upper"))
                .enumerated().map { i, row in
                    FlowDraft.FilterRow(field: row.0, op: row.1, value: row.2, upper: row.3, dataType: r.fields("filter.dataType")[safe: i] ?? "")
                }
        case .review:
            break
        }
    }

    private func zip4(_ a: [String], _ b: [String], _ c: [String], _ d: [String]) -> [(String, String, String, String)] {
        (0..<a.count).map { i in (a[i], b[safe: i] ?? "", c[safe: i] ?? "", d[safe: i] ?? "") }
    }

    /// `add-mask` adds a row; `remove-mask-2` removes the third.
    private func change(_ action: String, in d: inout FlowDraft) {
        switch action {
        case "add-merge": d.merges.append(.init())
        case "add-mask": d.masks.append(.init())
        case "add-truncate": d.truncates.append(.init())
        case "add-validation": d.validations.append(.init())
        case "add-filter" where d.filters.count < FlowDraft.maxFilters: d.filters.append(.init())
        default:
            let parts = action.split(separator: "-")
            guard parts.count == 3, parts[0] == "remove", let i = Int(parts[2]) else { return }
            func drop<T>(_ rows: inout [T]) { if rows.indices.contains(i) { rows.remove(at: i) } }
            switch parts[1] {
            case "merge": drop(&d.merges)
            case "mask": drop(&d.masks)
            case "truncate": drop(&d.truncates)
            case "validation": drop(&d.validations)
            case "filter": drop(&d.filters)
            default: break
            }
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
