import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import FlowlineService
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
                              errors: errors, hint: "Letters, digits and _ ! @ # . -; starts with a letter or digit; up to 256 characters.", required: true)
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

    /// `data-show-when="control=value,value"`: the script shows the element while the form's
    /// control has one of the values; the server renders it hidden when the draft's value is another.
    private func showWhen(_ control: String, _ values: [String], current: String) -> String {
        "data-show-when=\"\(HTML.escape(control))=\(HTML.escape(values.joined(separator: ",")))\"" + (values.contains(current) ? "" : " hidden")
    }

    private func connectionsStep(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let sources = ConnectorCatalog.all.filter(\.canUseAsSource)
        let destinations = ConnectorCatalog.all.filter(\.canUseAsDestination)
        let sourceCaps = d.sourceCaps
        // A new source connector, connection or bucket reloads the step (its choices come from the server).
        let reload = "data-reload=\"load-entities\""
        var out = "<fieldset><legend>Source</legend>"
        out += HTML.field("Source name", name: "sourceType",
                          HTML.select("sourceType", sources.map { ($0.connectorType, $0.label) }, selected: d.sourceType, extra: reload),
                          errors: errors)
        if sourceCaps?.needsProfile == true {
            let profiles = await profiles(ofType: d.sourceType).compactMap(\.connectorProfileName)
            out += HTML.field("Connection", name: "sourceProfile",
                              HTML.select("sourceProfile", [("", "—")] + profiles.map { ($0, $0) }, selected: d.sourceProfile, extra: reload),
                              errors: errors, hint: profiles.isEmpty ? "No connections yet: create one on the Connections page." : "", required: true)
        }
        out += "<button type=\"submit\" name=\"action\" value=\"refresh\" class=\"secondary\" id=\"load-entities\">Load objects</button>"
        let entities = await entityNames(d)
        let label = d.sourceType == "S3" ? "Bucket" : "Object"
        if let message = entities.error {
            out += HTML.field(label, name: "sourceEntity", HTML.input("sourceEntity", d.sourceEntity), errors: errors, hint: message, required: true)
        } else {
            out += HTML.field(label, name: "sourceEntity",
                              HTML.select("sourceEntity", [("", "—")] + entities.names.map { ($0, $0) }, selected: d.sourceEntity, extra: reload),
                              errors: errors, hint: "From `list-connector-entities`.", required: true)
        }
        if d.sourceType == "S3" {
            out += await sourcePrefixField(d, errors)
            out += HTML.field("File type", name: "sourceFileType",
                              HTML.select("sourceFileType", [("CSV", "CSV"), ("JSON", "JSON lines")], selected: d.sourceFileType, extra: reload), errors: errors)
        }
        out += "</fieldset><fieldset><legend>Destination</legend>"
        out += HTML.field("Destination name", name: "destinationType",
                          HTML.select("destinationType", destinations.map { ($0.connectorType, $0.label) }, selected: d.destinationType),
                          errors: errors)
        out += "<div \(showWhen("destinationType", ["S3"], current: d.destinationType)) id=\"destination-s3\"><div class=\"row\">"
        out += HTML.field("S3 bucket", name: "destinationBucket", HTML.input("destinationBucket", d.destinationBucket), errors: errors, required: true)
        out += HTML.field("Bucket prefix (optional)", name: "destinationPrefix", HTML.input("destinationPrefix", d.destinationPrefix), errors: errors)
        out += HTML.field("File type", name: "destinationFileType",
                          HTML.select("destinationFileType", [("CSV", "CSV"), ("JSON", "JSON lines"), ("PARQUET", "Parquet")], selected: d.destinationFileType),
                          errors: errors)
        out += "</div><div \(showWhen("destinationFileType", ["PARQUET"], current: d.destinationFileType)) id=\"parquet-types\">"
        out += "<label class=\"check\"><input type=\"checkbox\" name=\"preserveTypes\" value=\"true\" id=\"f-preserveTypes\"\(d.preserveTypes ? " checked" : "")> "
        out += "Keep data types (numbers, dates and times as typed Parquet columns, not text)</label></div></div>"
        out += "<div \(showWhen("destinationType", ["Redshift"], current: d.destinationType)) id=\"destination-redshift\">"
        let redshiftProfiles = await profiles(ofType: "Redshift").compactMap(\.connectorProfileName)
        out += HTML.field("Connection", name: "destinationProfile",
                          HTML.select("destinationProfile", [("", "—")] + redshiftProfiles.map { ($0, $0) }, selected: d.destinationProfile), errors: errors,
                          hint: redshiftProfiles.isEmpty ? "No Redshift connections yet: create one on the Connections page." : "", required: true)
        out += "<div class=\"row\">"
        out += HTML.field("Table", name: "destinationObject", HTML.input("destinationObject", d.destinationObject, extra: "placeholder=\"schema.table\""),
                          errors: errors, required: true)
        out += HTML.field("Intermediate bucket", name: "intermediateBucket", HTML.input("intermediateBucket", d.intermediateBucket), errors: errors,
                          hint: "The AppFlow model requires it; Flowline loads directly and does not use it.", required: true)
        out += "</div></div></fieldset>"
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
        let kind = isCron ? "cron" : "rate"
        out += "<fieldset \(showWhen("triggerType", ["Scheduled"], current: d.triggerType)) id=\"schedule\"><legend>Schedule</legend><div class=\"row\">"
        out += HTML.field("Repeats", name: "scheduleKind", HTML.select("scheduleKind", [("rate", "Every…"), ("cron", "Cron expression")], selected: kind), errors: errors)
        out += HTML.field("Every", name: "rateValue", HTML.input("rateValue", isCron ? "1" : rateValue, extra: "inputmode=\"numeric\""), errors: errors,
                          attributes: showWhen("scheduleKind", ["rate"], current: kind))
        out += HTML.field("Unit", name: "rateUnit", HTML.select("rateUnit", [("minutes", "minutes"), ("hours", "hours"), ("days", "days")], selected: isCron ? "hours" : rateUnit),
                          errors: errors, attributes: showWhen("scheduleKind", ["rate"], current: kind))
        out += HTML.field("Cron", name: "cron", HTML.input("cron", isCron ? inner : "", extra: "placeholder=\"0 2 * * ? *\""), errors: errors,
                          hint: "Minute, hour, day of month, month, day of week, year.", attributes: showWhen("scheduleKind", ["cron"], current: kind))
        out += "</div>"
        out += HTML.errorList(errors["scheduleExpression"], for: "scheduleExpression", label: "Schedule")
        out += "<div class=\"row\">"
        out += HTML.field("Starts (optional)", name: "scheduleStart", HTML.input("scheduleStart", d.scheduleStart, type: "datetime-local"), errors: errors,
                          hint: "Empty: from when the flow is activated.")
        out += HTML.field("Ends (optional)", name: "scheduleEnd", HTML.input("scheduleEnd", d.scheduleEnd, type: "datetime-local"), errors: errors,
                          hint: "Empty: no end.")
        var zones = TimeZone.knownTimeZoneIdentifiers.sorted()
        if !zones.contains(d.timezone) { zones.insert(d.timezone, at: 0) }
        out += HTML.field("Time zone", name: "timezone", HTML.select("timezone", zones.map { ($0, $0) }, selected: d.timezone), errors: errors,
                          hint: "Of the start, the end and cron times.")
        out += "</div>"
        out += HTML.field("Transfer mode", name: "dataPullMode",
                          HTML.select("dataPullMode", [("Complete", "Full transfer"), ("Incremental", "Incremental transfer")], selected: d.dataPullMode), errors: errors)
        let fields = d.currentFields?.names ?? []
        out += HTML.field("Timestamp field", name: "datetimeField",
                          HTML.select("datetimeField", [("", "—")] + fields.map { ($0, $0) }, selected: d.datetimeField), errors: errors,
                          hint: "Each run transfers the records whose field lies between the last run and this one.", required: true,
                          attributes: showWhen("dataPullMode", ["Incremental"], current: d.dataPullMode))
        out += "</fieldset>"
        return out
    }

    /// A removable row of a repeated group: its labelled controls and a Remove button, with ids unique on the page.
    /// `attributes` adds attributes to a control's wrapper, by the control's name.
    private func row(_ group: String, _ index: Int, _ controls: [(label: String, name: String, control: String)],
                     attributes: [String: String] = [:], errors: FieldErrors = FieldErrors()) -> String {
        var out = "<div class=\"row \(group)-row\" id=\"\(group)-row-\(index)\">"
        for c in controls {
            out += "<div class=\"field\"\(attributes[c.name].map { " " + $0 } ?? "")>"
            out += "<label for=\"f-\(HTML.escape(c.name))-\(index)\">\(HTML.escape(c.label))</label>\(c.control)</div>"
        }
        out += "<button type=\"submit\" name=\"action\" value=\"remove-\(group)-\(index)\" class=\"remove\" id=\"remove-\(group)-\(index)\" "
        out += "aria-label=\"Remove \(group) \(index + 1)\">Remove</button></div>"
        out += HTML.errorList(errors["\(group)-\(index)"], for: "\(group)-\(index)")
        return out
    }

    private func mappingStep(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let list = d.currentFields
        let fields = list?.fields ?? []
        let fieldOptions = [(value: "", label: "—")] + fields.map { (value: $0.name, label: $0.name) }
        var out = ""
        if let message = list?.error ?? (d.sourceEntity.isEmpty ? "Choose the source first; its fields are listed here." : nil) {
            out += "<p class=\"alert\">\(HTML.escape(message))</p>"
        }
        out += "<fieldset><legend>Mapping method</legend>"
        for (value, label) in [("all", "Map all fields directly"), ("pick", "Pick source fields"), ("csv", "Upload a .csv file with mapped fields")] {
            out += "<label class=\"check\"><input type=\"radio\" name=\"mappingMode\" value=\"\(value)\" id=\"mapping-\(value)\"\(d.mappingMode == value ? " checked" : "")> \(label)</label>"
        }
        out += HTML.errorList(errors["mapping"], for: "mapping", label: "Mapping")
        out += "<div \(showWhen("mappingMode", ["all", "pick"], current: d.mappingMode)) id=\"field-mapping\">"
        if d.sourceType == "S3" && !fields.isEmpty {
            out += "<p class=\"hint\">Types come from the first \(AppFlowService.fieldSampleRecords) records of the source. “Automatic” gives "
            out += d.destinationKeepsTypes ? "each field the type its values have (a later value that does not convert is a rejected record)."
                                           : "each field as the source has it (text for CSV); choose a type to convert."
            out += "</p>"
        }
        out += "<table id=\"fields\"><thead><tr><th \(showWhen("mappingMode", ["pick"], current: d.mappingMode))>Include</th><th>Source field</th>"
        out += "<th>Source type</th><th>Destination field</th><th>Destination type</th></tr></thead><tbody>"
        for (i, field) in fields.enumerated() {
            let m = d.mapping(of: field.name)
            let sampled = field.sampledType != field.sourceType ? "\(DataTypeName.appFlow(field.sourceType)) (values: \(DataTypeName.appFlow(field.sampledType)))"
                                                                 : DataTypeName.appFlow(field.sourceType)
            let automatic = d.destinationKeepsTypes ? DataTypeName.appFlow(field.sampledType) : DataTypeName.appFlow(field.sourceType)
            out += "<tr><td \(showWhen("mappingMode", ["pick"], current: d.mappingMode))>"
            out += "<input type=\"checkbox\" name=\"pickedFields\" value=\"\(HTML.escape(field.name))\" id=\"pick-\(i)\" aria-label=\"Include \(HTML.escape(field.name))\"\(d.pickedFields.contains(field.name) ? " checked" : "")></td>"
            out += "<td>\(HTML.escape(field.name))\(HTML.hidden("map.source", field.name))</td><td class=\"source-type\">\(HTML.escape(sampled))</td>"
            out += "<td>\(HTML.input("map.destination", m.destination, id: "f-map.destination-\(i)", extra: "placeholder=\"\(HTML.escape(field.name))\" aria-label=\"Destination name of \(HTML.escape(field.name))\""))</td>"
            out += "<td>\(HTML.select("map.type", [(value: "", label: "automatic (\(automatic))")] + DataTypeName.choices, selected: m.dataType, id: "f-map.type-\(i)", extra: "aria-label=\"Destination type of \(HTML.escape(field.name))\""))</td></tr>"
        }
        out += "</tbody></table></div>"
        out += "<div class=\"field\" \(showWhen("mappingMode", ["csv"], current: d.mappingMode)) id=\"mapping-csv-file\">"
        out += "<label for=\"f-csvFile\">Field mapping file: a <code>source,destination</code> pair per line</label>"
        out += "<input type=\"file\" id=\"f-csvFile\" accept=\".csv,text/csv\" data-into=\"f-csvText\">"
        out += "<label for=\"f-csvText\">or type the pairs</label>" + HTML.textarea("csvText", d.csvText, rows: 4) + "</div>"
        out += "</fieldset>"

        out += "<fieldset><legend>Concatenate fields</legend>"
        for (i, m) in d.merges.enumerated() {
            out += row("merge", i, [("First field", "merge.first", HTML.select("merge.first", fieldOptions, selected: m.first, id: "f-merge.first-\(i)")),
                                    ("Second field", "merge.second", HTML.select("merge.second", fieldOptions, selected: m.second, id: "f-merge.second-\(i)")),
                                    ("Format", "merge.format", HTML.input("merge.format", m.format, id: "f-merge.format-\(i)", extra: "placeholder=\"${first} ${second}\"")),
                                    ("Destination field", "merge.destination", HTML.input("merge.destination", m.destination, id: "f-merge.destination-\(i)"))])
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-merge\" class=\"secondary\" id=\"add-merge\">Add concatenation</button></fieldset>"

        out += "<fieldset><legend>Mask fields</legend>"
        for (i, m) in d.masks.enumerated() {
            out += row("mask", i, [("Field", "mask.field", HTML.select("mask.field", fieldOptions, selected: m.field, id: "f-mask.field-\(i)")),
                                   ("Mask", "mask.op", HTML.select("mask.op", [("MASK_ALL", "Mask all"), ("MASK_FIRST_N", "Mask first N"), ("MASK_LAST_N", "Mask last N")],
                                                                   selected: m.op, id: "f-mask.op-\(i)")),
                                   ("N", "mask.length", HTML.input("mask.length", m.length, id: "f-mask.length-\(i)", extra: "inputmode=\"numeric\"")),
                                   ("Character", "mask.character", HTML.input("mask.character", m.character, id: "f-mask.character-\(i)", extra: "placeholder=\"*\" maxlength=\"4\""))])
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-mask\" class=\"secondary\" id=\"add-mask\">Add mask</button></fieldset>"

        out += "<fieldset><legend>Truncate fields</legend>"
        for (i, t) in d.truncates.enumerated() {
            out += row("truncate", i, [("Field", "truncate.field", HTML.select("truncate.field", fieldOptions, selected: t.field, id: "f-truncate.field-\(i)")),
                                       ("Length", "truncate.length", HTML.input("truncate.length", t.length, id: "f-truncate.length-\(i)", extra: "inputmode=\"numeric\""))])
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-truncate\" class=\"secondary\" id=\"add-truncate\">Add truncation</button></fieldset>"

        out += "<fieldset><legend>Validations</legend>"
        let conditions = [("VALIDATE_NON_NULL", "Values missing or null"), ("VALIDATE_NON_ZERO", "Values are zero"),
                          ("VALIDATE_NON_NEGATIVE", "Values are negative"), ("VALIDATE_NUMERIC", "Values are not numeric")]
        let actions = [("DropRecord", "Ignore record"), ("TerminateFlow", "Terminate flow"), ("NoOp", "Keep record")]
        for (i, v) in d.validations.enumerated() {
            out += row("validation", i, [("Field", "validation.field", HTML.select("validation.field", fieldOptions, selected: v.field, id: "f-validation.field-\(i)")),
                                         ("Condition", "validation.op", HTML.select("validation.op", conditions, selected: v.op, id: "f-validation.op-\(i)")),
                                         ("Action", "validation.action", HTML.select("validation.action", actions, selected: v.action, id: "f-validation.action-\(i)"))])
        }
        out += "<button type=\"submit\" name=\"action\" value=\"add-validation\" class=\"secondary\" id=\"add-validation\">Add validation</button></fieldset>"
        return out
    }

    private func filtersStep(_ d: FlowDraft, _ errors: FieldErrors) async -> String {
        let list = d.currentFields
        // Each field carries its type, and the operators its application offers, for the script.
        let fieldOptions = [HTML.Option(value: "", label: "—")] + (list?.fields ?? []).map { f in
            var attributes = "data-type=\"\(DataTypeName.appFlow(f.sampledType))\""
            if let ops = f.operators, !ops.isEmpty { attributes += " data-ops=\"\(HTML.escape(ops.joined(separator: " ")))\"" }
            let type = f.sampledType != f.sourceType ? "\(DataTypeName.label(f.sampledType)), from \(DataTypeName.label(f.sourceType))" : DataTypeName.label(f.sampledType)
            return HTML.Option(value: f.name, label: "\(f.name) (\(type))", attributes: attributes)
        }
        var out = "<p class=\"hint\">Records that do not meet every filter are not transferred. Up to \(FlowDraft.maxFilters) filters. "
        out += "“Automatic” compares as the field's values suggest: numbers as numbers, even in a CSV file where they are text.</p>"
        if let message = list?.error { out += "<p class=\"alert\">\(HTML.escape(message))</p>" }
        for (i, f) in d.filters.enumerated() {
            let allowed = d.filterOperators(f)
            // Every operator is in the list (the script narrows it when the field or type changes);
            // those that do not apply now are disabled, unless chosen already (the server says why).
            let operators = FilterOperators.all.map { op in
                let off = allowed.contains(op.op) || op.op == f.op ? "" : " disabled hidden"
                return HTML.Option(value: op.op, label: op.label, attributes: "data-types=\"\(FilterOperators.types(allowing: op.op).joined(separator: " "))\"" + off)
            }
            let automatic = d.comparisonType(FlowDraft.FilterRow(field: f.field)).map { "automatic (\(DataTypeName.appFlow($0)))" } ?? "automatic"
            let types = [(value: "", label: automatic)] + DataTypeName.choices
            let op = f.op.isEmpty ? "EQUAL_TO" : f.op
            out += row("filter", i, [
                ("Field", "filter.field", HTML.select("filter.field", fieldOptions, selected: f.field, id: "f-filter.field-\(i)")),
                ("Condition", "filter.op", HTML.select("filter.op", operators, selected: op, id: "f-filter.op-\(i)")),
                (op == "BETWEEN" ? "From" : "Value", "filter.value", HTML.input("filter.value", f.value, id: "f-filter.value-\(i)")),
                ("To", "filter.upper", HTML.input("filter.upper", f.upper, id: "f-filter.upper-\(i)")),
                ("Compare as", "filter.dataType", HTML.select("filter.dataType", types, selected: f.dataType, id: "f-filter.dataType-\(i)")),
            ], attributes: ["filter.upper": showWhen("filter.op", ["BETWEEN"], current: op)], errors: errors)
        }
        out += HTML.errorList(errors["filters"], for: "filters", label: "Filters")
        if d.filters.count < FlowDraft.maxFilters {
            out += "<button type=\"submit\" name=\"action\" value=\"add-filter\" class=\"secondary\" id=\"add-filter\">Add filter</button>"
        }
        return out
    }

    private func reviewStep(_ d: FlowDraft) -> String {
        var rows: [(String, String)] = [("Flow name", d.flowName), ("Description", d.description),
                                        ("Encryption", d.kmsArn.isEmpty ? "Flowline-managed key" : d.kmsArn),
                                        ("Tags", d.tags.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")),
                                        ("Source", d.sourceSummary), ("Destination", d.destinationSummary), ("Trigger", d.triggerSummary)]
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
}
