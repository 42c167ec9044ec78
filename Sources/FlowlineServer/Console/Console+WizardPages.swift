import FlowlineAPI
import FlowlineConnectors
import Hummingbird

/// The pages of the wizard's steps.
extension Console {
    func stepPage(_ step: FlowDraft.Step, draft: FlowDraft, session: ConsoleSession, errors: FieldErrors, status: Int = 200) async -> Response {
        let steps = FlowDraft.Step.allCases.map { s in
            "<li class=\"\(s == step ? "current" : "")\">\(HTML.escape(s.title))</li>"
        }.joined()
        let heading = draft.editing.map { "Edit flow \(HTML.escape($0))" } ?? "Create flow"
        var body = "<h1>\(heading)</h1><ol class=\"steps\">\(steps)</ol><h2>\(HTML.escape(step.title))</h2>"
        body += "<form method=\"post\" action=\"/console/wizard/\(step.rawValue)\" novalidate id=\"wizard-\(step.rawValue)\">\(Layout.csrf(session))"
        body += Layout.generalErrors(errors)
        switch step {
        case .details: body += detailsStep(draft, errors)
        case .connections: body += await connectionsStep(draft, errors)
        case .trigger: body += await triggerStep(draft, errors)
        case .mapping: body += await mappingStep(draft, errors)
        case .filters: body += await filtersStep(draft, errors)
        case .review: body += reviewStep(draft)
        }
        let primary = step == .review
            ? "<button type=\"submit\" name=\"action\" value=\"create\" id=\"create-flow\">\(draft.editing == nil ? "Create flow" : "Save flow")</button>"
            : "<button type=\"submit\" name=\"action\" value=\"next\" id=\"next\">Next</button>"
        let back = step == .details ? "" : "<button type=\"submit\" name=\"action\" value=\"back\" class=\"secondary\" id=\"back\">Back</button>"
        body += "<div class=\"actions\">\(primary)\(back)<a href=\"/console/flows\">Cancel</a></div></form>"
        return ConsoleResponse.html(status, Layout.page(step.title, session: session, body: body))
    }

    // MARK: Steps

    private func detailsStep(_ d: FlowDraft, _ errors: FieldErrors) -> String {
        var out = ""
        if d.editing == nil {
            out += HTML.field("Flow name", name: "flowName",
                              HTML.input("flowName", d.flowName, extra: "data-check-url=\"/console/wizard/check-name?flowName=\" autocomplete=\"off\""),
                              errors: errors, hint: "Letters, digits and _ ! @ # . -; starts with a letter or digit; up to 256 characters.")
        } else {
            out += "<p>Flow name: <strong>\(HTML.escape(d.flowName))</strong></p>"
        }
        out += HTML.field("Description (optional)", name: "description", HTML.textarea("description", d.description, rows: 2), errors: errors)
        if d.editing == nil {
            let keys = (try? service.listKeys()) ?? []
            let options = [(value: "", label: "Flowline-managed key (default)")] + keys.map { (value: $0.arn, label: ($0.description ?? $0.keyId) + " — " + $0.arn) }
            out += HTML.field("Data encryption", name: "kmsArn", HTML.select("kmsArn", options, selected: d.kmsArn), errors: errors,
                              hint: "Customer keys are made with `flowline create-key`.")
            out += HTML.field("Tags (optional)", name: "tags", HTML.textarea("tags", d.tagsText, rows: 4), errors: errors,
                              hint: "One key=value per line; at most 50 tags.")
        }
        return out
    }

    private func connectionsStep(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let sources = ConnectorCatalog.all.filter(\.canUseAsSource)
        let destinations = ConnectorCatalog.all.filter(\.canUseAsDestination)
        let sourceCaps = d.sourceCaps
        var out = "<fieldset><legend>Source</legend>"
        out += HTML.field("Source name", name: "sourceType", HTML.select("sourceType", sources.map { ($0.connectorType, $0.label) }, selected: d.sourceType), errors: errors)
        if sourceCaps?.needsProfile == true {
            let profiles = await profiles(ofType: d.sourceType).compactMap(\.connectorProfileName)
            out += HTML.field("Connection", name: "sourceProfile",
                              HTML.select("sourceProfile", [("", "—")] + profiles.map { ($0, $0) }, selected: d.sourceProfile), errors: errors,
                              hint: profiles.isEmpty ? "No connections yet: create one on the Connections page." : "")
        }
        out += "<button type=\"submit\" name=\"action\" value=\"refresh\" class=\"secondary\" id=\"load-entities\">Load objects</button>"
        let entities = await entityNames(d)
        let label = d.sourceType == "S3" ? "Bucket" : "Object"
        if let message = entities.error {
            out += HTML.field(label, name: "sourceEntity", HTML.input("sourceEntity", d.sourceEntity), errors: errors, hint: message)
        } else {
            out += HTML.field(label, name: "sourceEntity",
                              HTML.select("sourceEntity", [("", "—")] + entities.names.map { ($0, $0) }, selected: d.sourceEntity), errors: errors,
                              hint: "From list-connector-entities.")
        }
        if d.sourceType == "S3" {
            out += await sourcePrefixField(d, errors)
            out += HTML.field("File type", name: "sourceFileType", HTML.select("sourceFileType", [("CSV", "CSV"), ("JSON", "JSON lines")], selected: d.sourceFileType), errors: errors)
        }
        out += "</fieldset><fieldset><legend>Destination</legend>"
        out += HTML.field("Destination name", name: "destinationType",
                          HTML.select("destinationType", destinations.map { ($0.connectorType, $0.label) }, selected: d.destinationType), errors: errors)
        let redshiftProfiles = await profiles(ofType: "Redshift").compactMap(\.connectorProfileName)
        out += HTML.field("Connection (Redshift)", name: "destinationProfile",
                          HTML.select("destinationProfile", [("", "—")] + redshiftProfiles.map { ($0, $0) }, selected: d.destinationProfile), errors: errors,
                          hint: "Only for Redshift; S3 needs none.")
        out += "<div class=\"row\">"
        out += HTML.field("S3 bucket", name: "destinationBucket", HTML.input("destinationBucket", d.destinationBucket), errors: errors)
        out += HTML.field("Bucket prefix (optional)", name: "destinationPrefix", HTML.input("destinationPrefix", d.destinationPrefix), errors: errors)
        out += HTML.field("File type", name: "destinationFileType",
                          HTML.select("destinationFileType", [("CSV", "CSV"), ("JSON", "JSON lines"), ("PARQUET", "Parquet")], selected: d.destinationFileType), errors: errors)
        out += "</div><div class=\"row\">"
        out += HTML.field("Redshift table", name: "destinationObject", HTML.input("destinationObject", d.destinationObject), errors: errors)
        out += HTML.field("Intermediate bucket (Redshift)", name: "intermediateBucket", HTML.input("intermediateBucket", d.intermediateBucket), errors: errors)
        out += "</div></fieldset>"
        return out
    }

    private func triggerStep(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let supported = d.sourceCaps?.supportedTriggerTypes ?? ["OnDemand"]
        let labels = ["OnDemand": "Run on demand", "Scheduled": "Run on schedule", "Event": "Run on event"]
        var out = HTML.field("Flow trigger", name: "triggerType",
                             HTML.select("triggerType", supported.sorted { $0 == "OnDemand" || ($1 != "OnDemand" && $0 < $1) }.map { ($0, labels[$0] ?? $0) },
                                         selected: d.triggerType), errors: errors)
        let expression = d.scheduleExpression
        let isCron = expression.hasPrefix("cron(")
        let inner = String(expression.drop { $0 != "(" }.dropFirst().dropLast())
        let rateValue = String(inner.prefix { $0.isNumber })
        let rateUnit = String(inner.drop { $0.isNumber })
        out += "<fieldset><legend>Schedule (for Run on schedule)</legend><div class=\"row\">"
        out += HTML.field("Repeats", name: "scheduleKind", HTML.select("scheduleKind", [("rate", "Every…"), ("cron", "Cron expression")], selected: isCron ? "cron" : "rate"), errors: errors)
        out += HTML.field("Every", name: "rateValue", HTML.input("rateValue", isCron ? "1" : rateValue, extra: "inputmode=\"numeric\""), errors: errors)
        out += HTML.field("Unit", name: "rateUnit", HTML.select("rateUnit", [("minutes", "minutes"), ("hours", "hours"), ("days", "days")], selected: isCron ? "hours" : rateUnit), errors: errors)
        out += HTML.field("Cron", name: "cron", HTML.input("cron", isCron ? inner : "", extra: "placeholder=\"0 2 * * ? *\""), errors: errors)
        out += "</div>"
        out += errors["scheduleExpression"].isEmpty ? "" : HTML.errorList(errors["scheduleExpression"], for: "scheduleExpression")
        out += HTML.field("Transfer mode", name: "dataPullMode", HTML.select("dataPullMode", [("Complete", "Full transfer"), ("Incremental", "Incremental transfer")], selected: d.dataPullMode), errors: errors)
        let fields = await sourceFields(d).fields
        out += HTML.field("Timestamp field (incremental)", name: "datetimeField",
                          HTML.select("datetimeField", [("", "—")] + fields.map { ($0, $0) }, selected: d.datetimeField), errors: errors)
        out += "</fieldset>"
        return out
    }

    private func mappingStep(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let (fields, fieldError) = await sourceFields(d)
        let fieldOptions = [(value: "", label: "—")] + fields.map { (value: $0, label: $0) }
        var out = ""
        if let fieldError { out += "<p class=\"alert\">\(HTML.escape(fieldError))</p>" }
        out += "<fieldset><legend>Mapping method</legend>"
        for (value, label) in [("all", "Map all fields directly"), ("pick", "Pick source fields"), ("csv", "Upload a .csv file with mapped fields")] {
            out += "<label class=\"check\"><input type=\"radio\" name=\"mappingMode\" value=\"\(value)\" id=\"mapping-\(value)\"\(d.mappingMode == value ? " checked" : "")> \(label)</label>"
        }
        out += "<p><strong>Source fields</strong> (for “pick”):</p><div id=\"picked-fields\">"
        out += fields.map { HTML.checkbox("pickedFields", value: $0, checked: d.pickedFields.contains($0), label: $0) }.joined()
        out += "</div>"
        out += "<div class=\"field\"><label for=\"f-csvFile\">Field mapping file (for “upload”): source,destination per line</label>"
        out += "<input type=\"file\" id=\"f-csvFile\" accept=\".csv,text/csv\" data-into=\"f-csvText\">"
        out += HTML.textarea("csvText", d.csvText, rows: 4) + "</div>"
        out += HTML.errorList(errors["mapping"], for: "mapping") + "</fieldset>"

        out += "<fieldset><legend>Concatenate fields</legend>"
        for m in d.merges {
            out += "<div class=\"row\">" + HTML.select("merge.first", fieldOptions, selected: m.first) + HTML.select("merge.second", fieldOptions, selected: m.second)
            out += HTML.input("merge.format", m.format, extra: "placeholder=\"${first} ${second}\"") + HTML.input("merge.destination", m.destination, extra: "placeholder=\"destination field\"") + "</div>"
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-merge\" class=\"secondary\" id=\"add-merge\">Add concatenation</button></fieldset>"

        out += "<fieldset><legend>Mask fields</legend>"
        for m in d.masks {
            out += "<div class=\"row\">" + HTML.select("mask.field", fieldOptions, selected: m.field)
            out += HTML.select("mask.op", [("MASK_ALL", "Mask all"), ("MASK_FIRST_N", "Mask first N"), ("MASK_LAST_N", "Mask last N")], selected: m.op)
            out += HTML.input("mask.length", m.length, extra: "placeholder=\"N\" inputmode=\"numeric\"") + HTML.input("mask.character", m.character, extra: "placeholder=\"*\" maxlength=\"4\"") + "</div>"
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-mask\" class=\"secondary\" id=\"add-mask\">Add mask</button></fieldset>"

        out += "<fieldset><legend>Truncate fields</legend>"
        for t in d.truncates {
            out += "<div class=\"row\">" + HTML.select("truncate.field", fieldOptions, selected: t.field) + HTML.input("truncate.length", t.length, extra: "placeholder=\"length\" inputmode=\"numeric\"") + "</div>"
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-truncate\" class=\"secondary\" id=\"add-truncate\">Add truncation</button></fieldset>"

        out += "<fieldset><legend>Validations</legend>"
        let conditions = [("VALIDATE_NON_NULL", "Values missing or null"), ("VALIDATE_NON_ZERO", "Values are zero"),
                          ("VALIDATE_NON_NEGATIVE", "Values are negative"), ("VALIDATE_NUMERIC", "Values are not numeric")]
        let actions = [("DropRecord", "Ignore record"), ("TerminateFlow", "Terminate flow"), ("NoOp", "Keep record")]
        for v in d.validations {
            out += "<div class=\"row\">" + HTML.select("validation.field", fieldOptions, selected: v.field) + HTML.select("validation.op", conditions, selected: v.op)
            out += HTML.select("validation.action", actions, selected: v.action) + "</div>"
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-validation\" class=\"secondary\" id=\"add-validation\">Add validation</button></fieldset>"
        return out
    }

    private func filtersStep(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let fields = await sourceFields(d).fields
        let fieldOptions = [(value: "", label: "—")] + fields.map { (value: $0, label: $0) }
        let operators = [("EQUAL_TO", "is equal to"), ("NOT_EQUAL_TO", "is not equal to"), ("CONTAINS", "contains"),
                         ("LESS_THAN", "is less than"), ("LESS_THAN_OR_EQUAL_TO", "is less than or equal to"),
                         ("GREATER_THAN", "is greater than"), ("GREATER_THAN_OR_EQUAL_TO", "is greater than or equal to"),
                         ("BETWEEN", "is between")]
        let types = [("", "field's own type"), ("string", "string"), ("integer", "integer"), ("double", "double"),
                     ("decimal", "decimal"), ("boolean", "boolean"), ("date", "date"), ("datetime", "datetime")]
        var out = "<p class=\"hint\">Records that do not meet every filter are not transferred. Up to \(FlowDraft.maxFilters) filters.</p>"
        for f in d.filters {
            out += "<div class=\"row filter-row\">" + HTML.select("filter.field", fieldOptions, selected: f.field) + HTML.select("filter.op", operators, selected: f.op)
            out += HTML.input("filter.value", f.value, extra: "placeholder=\"value (or lower bound)\"")
            out += HTML.input("filter.upper", f.upper, extra: "placeholder=\"upper bound (between)\"")
            out += HTML.select("filter.dataType", types, selected: f.dataType) + "</div>"
        }
        out += HTML.errorList(errors["filters"], for: "filters")
        if d.filters.count < FlowDraft.maxFilters {
            out += "<button type=\"submit\" name=\"action\" value=\"add-filter\" class=\"secondary\" id=\"add-filter\">Add filter</button>"
        }
        return out
    }

    private func reviewStep(_ d: FlowDraft) -> String {
        let trigger = d.triggerType == "Scheduled" ? "Scheduled: \(d.scheduleExpression), \(d.dataPullMode)" : d.triggerType
        let source = d.sourceType + (d.sourceProfile.isEmpty ? "" : " (\(d.sourceProfile))") + ": " + d.sourceEntityName
        let destination = d.destinationType == "Redshift"
            ? "Redshift (\(d.destinationProfile)): \(d.destinationObject)"
            : "\(d.destinationType): \(d.destinationBucket)/\(d.destinationPrefix) as \(d.destinationFileType)"
        var rows: [(String, String)] = [("Flow name", d.flowName), ("Description", d.description),
                                        ("Encryption", d.kmsArn.isEmpty ? "Flowline-managed key" : d.kmsArn),
                                        ("Tags", d.tags.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")),
                                        ("Source", source), ("Destination", destination), ("Trigger", trigger)]
        rows.append(("Mapping", ["all": "all fields", "pick": "fields: " + d.pickedFields.joined(separator: ", "), "csv": "from the uploaded file"][d.mappingMode] ?? d.mappingMode))
        var out = "<dl>" + rows.map { "<dt>\(HTML.escape($0.0))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined() + "</dl>"
        out += "<h2>Tasks</h2>" + TaskTable.html((try? d.tasks()) ?? [])
        return out
    }

    // MARK: Entities and fields, from the service

    private func entityNames(_ d: FlowDraft) async -> (names: [String], error: String?) {
        var input: JSONValue.Members = []
        if d.sourceCaps?.needsProfile == true {
            guard !d.sourceProfile.isEmpty else { return ([], "Choose a connection, then Load objects.") }
            input.append(("connectorProfileName", .string(d.sourceProfile)))
        } else {
            input.append(("connectorType", .string(d.sourceType)))
        }
        do {
            let response: AppFlow.ListConnectorEntitiesResponse = try await call(.listConnectorEntities, .object(input))
            let names = response.connectorEntityMap.values.flatMap { $0 }.map(\.name)
            return (names.sorted(), nil)
        } catch {
            return ([], error.message)
        }
    }

    /// The S3 source prefix: once a bucket is chosen, picked from its folders (list-connector-entities
    /// with the bucket as entitiesPath); before that, or when the bucket cannot be read, typed.
    private func sourcePrefixField(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let label = "Bucket prefix (optional)"
        guard !d.sourceEntity.isEmpty, let folders = await s3Folders(bucket: d.sourceEntity) else {
            return HTML.field(label, name: "sourcePrefix", HTML.input("sourcePrefix", d.sourcePrefix), errors: errors,
                              hint: "Choose the bucket and Load objects to pick one of its folders.")
        }
        var options: [(value: String, label: String)] = [("", "— the whole bucket —")] + folders.map { ($0, $0 + "/") }
        // A deeper prefix of a flow being edited stays selectable.
        if !d.sourcePrefix.isEmpty, !folders.contains(d.sourcePrefix) { options.append((d.sourcePrefix, d.sourcePrefix)) }
        return HTML.field(label, name: "sourcePrefix", HTML.select("sourcePrefix", options, selected: d.sourcePrefix), errors: errors,
                          hint: "Folders of \(d.sourceEntity), from list-connector-entities.")
    }

    /// The folders just below a bucket's top, without the bucket name; nil when they cannot be listed.
    private func s3Folders(bucket: String) async -> [String]? {
        let input: JSONValue.Members = [("connectorType", .string("S3")), ("entitiesPath", .string(bucket))]
        guard let response = try? await call(.listConnectorEntities, .object(input), as: AppFlow.ListConnectorEntitiesResponse.self) else { return nil }
        let prefix = bucket + "/"
        return response.connectorEntityMap.values.flatMap { $0 }.filter { $0.hasNestedEntities == true }.compactMap { entity in
            entity.name.hasPrefix(prefix) ? String(entity.name.dropFirst(prefix.count)) : nil
        }.sorted()
    }

    func sourceFields(_ d: FlowDraft) async -> (fields: [String], error: String?) {
        guard !d.sourceEntity.isEmpty else { return ([], "Choose the source first; its fields are listed here.") }
        var input: JSONValue.Members = [("connectorEntityName", .string(d.sourceEntityName))]
        if d.sourceProfile.isEmpty { input.append(("connectorType", .string(d.sourceType))) } else { input.append(("connectorProfileName", .string(d.sourceProfile))) }
        do {
            let response: AppFlow.DescribeConnectorEntityResponse = try await call(.describeConnectorEntity, .object(input))
            return (response.connectorEntityFields.map(\.identifier), nil)
        } catch {
            return ([], "The source's fields could not be read: \(error.message)")
        }
    }
}
