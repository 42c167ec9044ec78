import FlowlineAPI
import FlowlineConnectors
import Hummingbird

/// Connections: connectors with their profiles; create, view, edit, delete.
extension Console {
    func connections(_ request: ConsoleRequest, _ session: ConsoleSession, _ path: [String]) async -> Response {
        switch (request.method, path.count) {
        case ("GET", 0): return await connectionList(session, notice: request.queryValue("notice"))
        case ("GET", 1) where path[0] == "new":
            guard let caps = connectorChoice(request.queryValue("connectorType")) else { return connectorPicker(session) }
            return connectionForm(session, caps: caps, existing: nil, values: [:], errors: FieldErrors())
        case ("POST", 1) where path[0] == "new":
            guard let caps = connectorChoice(request.field("connectorType")) else { return notFound() }
            if request.field("action") == "test" { return await testConnection(request, session, caps: caps, existing: nil) }
            return await saveConnection(request, session, caps: caps, existing: nil)
        case ("GET", 1): return await connectionDetail(session, name: path[0])
        case ("GET", 2) where path[1] == "edit":
            do {
                let profile = try await profile(named: path[0])
                guard let caps = profile.connectorType.flatMap({ ConnectorCatalog.capabilities(of: $0.rawValue) }) else { return notFound() }
                return connectionForm(session, caps: caps, existing: profile, values: storedValues(profile, caps: caps), errors: FieldErrors())
            } catch { return errorPage(error, session: session) }
        case ("POST", 2) where path[1] == "edit":
            do {
                let profile = try await profile(named: path[0])
                guard let caps = profile.connectorType.flatMap({ ConnectorCatalog.capabilities(of: $0.rawValue) }) else { return notFound() }
                if request.field("action") == "test" { return await testConnection(request, session, caps: caps, existing: profile) }
                return await saveConnection(request, session, caps: caps, existing: profile)
            } catch { return errorPage(error, session: session) }
        case ("POST", 2) where path[1] == "delete":
            guard request.field("confirmed") == "yes" else {
                return confirmPage(session, title: "Delete connection \(path[0])?",
                                   message: "Flows that use this connection stop working. This cannot be undone.",
                                   action: "/console/connections/\(HTML.pathSegment(path[0]))/delete", button: "Delete connection",
                                   cancel: "/console/connections/\(HTML.pathSegment(path[0]))")
            }
            do {
                let _: AppFlow.DeleteConnectorProfileResponse = try await call(.deleteConnectorProfile, .object([
                    ("connectorProfileName", .string(path[0])), ("forceDelete", .bool(request.field("forceDelete") == "true"))]))
                return ConsoleResponse.redirect("/console/connections?notice=" + HTML.pathSegment("Deleted connection \(path[0])"))
            } catch { return errorPage(error, session: session) }
        default: return notFound()
        }
    }

    private func connectorChoice(_ type: String?) -> ConnectorCapabilities? {
        guard let type else { return nil }
        return ProfileFormModel.connectors.first { $0.connectorType == type }
    }

    private func allProfiles() async throws(AppFlowError) -> [AppFlow.ConnectorProfile] {
        var profiles: [AppFlow.ConnectorProfile] = []
        var token: String?
        repeat {
            var input: JSONValue.Members = [("maxResults", .number(100))]
            if let token { input.append(("nextToken", .string(token))) }
            let page: AppFlow.DescribeConnectorProfilesResponse = try await call(.describeConnectorProfiles, .object(input))
            profiles += page.connectorProfileDetails ?? []
            token = page.nextToken
        } while token != nil
        return profiles
    }

    func profiles(ofType type: String) async -> [AppFlow.ConnectorProfile] {
        ((try? await allProfiles()) ?? []).filter { $0.connectorType?.rawValue == type }
    }

    private func profile(named name: String) async throws(AppFlowError) -> AppFlow.ConnectorProfile {
        let page: AppFlow.DescribeConnectorProfilesResponse = try await call(.describeConnectorProfiles, .object([
            ("connectorProfileNames", .array([.string(name)]))]))
        guard let profile = page.connectorProfileDetails?.first else { throw .notFound("Connection \(name) does not exist") }
        return profile
    }

    private func connectionList(_ session: ConsoleSession, notice: String?) async -> Response {
        let profiles: [AppFlow.ConnectorProfile]
        do { profiles = try await allProfiles() } catch { return errorPage(error, session: session) }
        var body = "<h1>Connections</h1>"
        if let notice { body += "<p class=\"notice\">\(HTML.escape(notice))</p>" }
        body += "<p><a href=\"/console/connections/new\" id=\"new-connection\">Create connection</a></p>"
        body += "<p class=\"hint\">Amazon S3 (local files) needs no connection: a flow names its bucket.</p>"
        for caps in ProfileFormModel.connectors {
            let mine = profiles.filter { $0.connectorType?.rawValue == caps.connectorType }
            body += "<h2>\(HTML.escape(caps.label))</h2>"
            if mine.isEmpty {
                body += "<p class=\"hint\">No connections. " + HTML.link("/console/connections/new?connectorType=\(caps.connectorType)", "Create one") + "</p>"
                continue
            }
            body += HTML.table(["Name", "Mode", "Last updated"], mine.map { p -> [String] in
                let name = p.connectorProfileName ?? ""
                return [HTML.link("/console/connections/\(HTML.pathSegment(name))", name),
                        HTML.escape(p.connectionMode?.rawValue ?? ""), HTML.escape(p.lastUpdatedAt.map(ConsoleFormat.date) ?? "")]
            }, id: "connections-\(caps.connectorType)")
        }
        return ConsoleResponse.html(200, Layout.page("Connections", session: session, body: body))
    }

    private func connectorPicker(_ session: ConsoleSession) -> Response {
        let options = ProfileFormModel.connectors.map { (value: $0.connectorType, label: $0.label) }
        let body = """
            <h1>Create connection</h1>
            <form method="get" action="/console/connections/new" class="narrow">
            \(HTML.field("Connector", name: "connectorType", HTML.select("connectorType", options, selected: ""), errors: FieldErrors()))
            <button type="submit" id="choose-connector">Next</button></form>
            """
        return ConsoleResponse.html(200, Layout.page("Create connection", session: session, body: body))
    }

    /// The stored (non-secret) properties of a profile as form values.
    private func storedValues(_ profile: AppFlow.ConnectorProfile, caps: ConnectorCapabilities) -> [String: String] {
        var values = ["connectorProfileName": profile.connectorProfileName ?? "", "connectionMode": profile.connectionMode?.rawValue ?? "Public"]
        if let properties = profile.connectorProfileProperties?.json(.iso8601)[caps.propertiesKey] {
            ProfileFormView.flatten(properties, prefix: "properties", into: &values)
        }
        return values
    }

    private func connectionForm(_ session: ConsoleSession, caps: ConnectorCapabilities, existing: AppFlow.ConnectorProfile?,
                                values: [String: String], errors: FieldErrors, test: ConnectionTestResult? = nil) -> Response {
        let editing = existing != nil
        let name = existing?.connectorProfileName ?? ""
        let action = editing ? "/console/connections/\(HTML.pathSegment(name))/edit" : "/console/connections/new"
        var body = "<h1>\(editing ? "Edit connection \(HTML.escape(name))" : "Create \(HTML.escape(caps.label)) connection")</h1>"
        body += "<form method=\"post\" action=\"\(HTML.escape(action))\" novalidate>\(Layout.csrf(session))\(HTML.hidden("connectorType", caps.connectorType))"
        body += Layout.generalErrors(errors)
        if editing {
            body += "<p>Connection name: <strong>\(HTML.escape(name))</strong></p>"
        } else {
            body += HTML.field("Connection name", name: "connectorProfileName", HTML.input("connectorProfileName", values["connectorProfileName"] ?? ""), errors: errors)
        }
        body += HTML.field("Connection mode", name: "connectionMode",
                           HTML.select("connectionMode", AppFlow.ConnectionMode.allCases.map { ($0.rawValue, $0.rawValue) },
                                       selected: values["connectionMode"] ?? "Public"), errors: errors)
        for group in [ProfileField.Group.properties, .credentials] {
            let section = ProfileFormModel.section(caps, group)
            guard !section.items.isEmpty else { continue }
            let legend = group == .properties ? "Connection settings" : "Credentials"
            body += "<fieldset><legend>\(legend)</legend>"
            if group == .credentials {
                body += "<p class=\"hint\">Secrets are sealed in the store and never shown again\(editing ? "; leave every credential empty to keep the stored ones" : "").</p>"
            }
            body += ProfileFormView.items(section, values: values, errors: errors)
            body += "</fieldset>"
        }
        // Save comes first: Enter in a field submits the first button.
        body += "<div class=\"actions\"><button type=\"submit\" id=\"save-connection\">\(editing ? "Save" : "Create connection")</button>"
        body += "<button type=\"submit\" name=\"action\" value=\"test\" class=\"secondary\" id=\"test-connection\" data-test-connection>Test connection</button>"
        body += "<a href=\"/console/connections\">Cancel</a></div>"
        body += (test ?? ConnectionTestResult.none).html + "</form>"
        let status = errors.isEmpty || test != nil ? 200 : 400
        return ConsoleResponse.html(status, Layout.page(editing ? "Edit connection" : "Create connection", session: session, body: body))
    }

    private func saveConnection(_ request: ConsoleRequest, _ session: ConsoleSession, caps: ConnectorCapabilities,
                                existing: AppFlow.ConnectorProfile?) async -> Response {
        let (input, missing) = profileRequest(request, caps: caps, existing: existing)
        guard missing.isEmpty else { return formAgain(request, session, caps: caps, existing: existing, errors: missing) }
        let name = existing?.connectorProfileName ?? request.field("connectorProfileName")
        do {
            if existing == nil {
                let _: AppFlow.CreateConnectorProfileResponse = try await call(.createConnectorProfile, .object(input))
            } else {
                let _: AppFlow.UpdateConnectorProfileResponse = try await call(.updateConnectorProfile, .object(input))
            }
            return ConsoleResponse.redirect("/console/connections/\(HTML.pathSegment(name))")
        } catch {
            return formAgain(request, session, caps: caps, existing: existing, errors: FieldErrors(error, fields: ProfileFormModel.errorFields(caps)))
        }
    }

    /// "Test connection": the form's profile tried once by the service (`testConnection`), stored
    /// nowhere. The script asks with `format=json` and shows the answer in place, so the typed
    /// secrets stay in their inputs; without the script the form comes back with the answer (and,
    /// as always, without the secrets). Either way the answer is 200: the test ran.
    private func testConnection(_ request: ConsoleRequest, _ session: ConsoleSession, caps: ConnectorCapabilities,
                                existing: AppFlow.ConnectorProfile?) async -> Response {
        let (input, missing) = profileRequest(request, caps: caps, existing: existing)
        var errors = missing
        let result: ConnectionTestResult
        if let problem = missing.byField.values.first?.first {
            result = .failed(plain: problem, api: nil)
        } else {
            do {
                try await tryConnection(.object(input), existing: existing)
                result = .succeeded
            } catch {
                let said = error.message.hasPrefix(Self.checkFailedPrefix) ? String(error.message.dropFirst(Self.checkFailedPrefix.count)) : error.message
                result = .failed(plain: "The connection failed: " + PlainMessage.text(said, label: nil), api: "\(error.code.rawValue): \(error.message)")
                if error.code == .validation { errors = FieldErrors(error, fields: ProfileFormModel.errorFields(caps)) }
            }
        }
        if request.field("format") == "json" { return ConsoleResponse.json(result.json) }
        return formAgain(request, session, caps: caps, existing: existing, errors: errors, test: result)
    }

    /// How the service's check begins its failures; the form says "The connection failed" already.
    private static let checkFailedPrefix = "Connection check failed: "

    /// The service's connection check of a create (or, editing, an update) request.
    private func tryConnection(_ input: JSONValue, existing: AppFlow.ConnectorProfile?) async throws(AppFlowError) {
        let service = self.service
        let create = existing == nil ? try AppFlow.CreateConnectorProfileRequest(json: input, at: ShapePath()) : nil
        let update = existing == nil ? nil : try AppFlow.UpdateConnectorProfileRequest(json: input, at: ShapePath())
        do {
            // On the API's executor, as every operation the console calls.
            try await withTaskExecutorPreference(executor) {
                if let create { try await service.testConnection(create) }
                if let update { try await service.testConnection(update) }
            }
        } catch let error as AppFlowError {
            throw error
        } catch {
            throw .internalServer("Testing the connection failed: \(error)")
        }
    }

    /// The create-connector-profile request the form describes (update-connector-profile when
    /// editing: no type, and no credentials when none was typed), and what Flowline needs that the
    /// form left empty.
    func profileRequest(_ request: ConsoleRequest, caps: ConnectorCapabilities,
                        existing: AppFlow.ConnectorProfile?) -> (input: JSONValue.Members, missing: FieldErrors) {
        let fields = ProfileFormModel.fields(caps)
        let key = caps.propertiesKey
        let shown = ProfileFormModel.section(caps, .properties)
        var properties = ProfileFormModel.json(shown, form: request)
        // Stored members the form does not show (Flowline does not read them) are kept as they were.
        if let existing, case .object(let stored)? = existing.connectorProfileProperties?.json(.epochSeconds)[key] {
            for (member, value) in stored where !properties.contains(where: { $0.0 == member }) && !shown.shows(member) {
                properties.append((member, value))
            }
        }
        var config: JSONValue.Members = [("connectorProfileProperties", .object([(key, .object(properties))]))]
        // Editing with every credential left empty keeps the sealed ones (update-connector-profile without credentials).
        let typedCredential = fields.contains { $0.group == .credentials && !request.rawField($0.formName).isEmpty }
        let sendsCredentials = existing == nil || typedCredential
        if sendsCredentials {
            let credentials = ProfileFormModel.json(ProfileFormModel.section(caps, .credentials), form: request)
            config.append(("connectorProfileCredentials", .object([(key, .object(credentials))])))
        }
        var input: JSONValue.Members = [("connectorProfileName", .string(existing?.connectorProfileName ?? request.field("connectorProfileName"))),
                                        ("connectionMode", .string(request.field("connectionMode"))),
                                        ("connectorProfileConfig", .object(config))]
        if existing == nil { input.insert(("connectorType", .string(caps.connectorType)), at: 1) }
        // What Flowline needs but the model leaves optional is checked here, in the form's words.
        var missing = FieldErrors()
        for field in fields where field.required && field.path.count == 1 && (field.group == .properties || sendsCredentials)
            && request.rawField(field.formName).trimmingCharacters(in: .whitespaces).isEmpty {
            missing.add("\(field.label) is required.", to: field.formName)
        }
        return (input, missing)
    }

    /// The form again with what was typed (never the secrets) and the messages by their fields.
    private func formAgain(_ request: ConsoleRequest, _ session: ConsoleSession, caps: ConnectorCapabilities,
                           existing: AppFlow.ConnectorProfile?, errors: FieldErrors, test: ConnectionTestResult? = nil) -> Response {
        var values: [String: String] = ["connectorProfileName": existing?.connectorProfileName ?? request.field("connectorProfileName"),
                                        "connectionMode": request.field("connectionMode")]
        for field in ProfileFormModel.fields(caps) where !field.secret { values[field.formName] = request.field(field.formName) }
        for group in [ProfileField.Group.properties, .credentials] {
            for section in ProfileFormModel.section(caps, group).allSections where section.isChoice {
                values[section.choiceName] = request.field(section.choiceName)
            }
        }
        return connectionForm(session, caps: caps, existing: existing, values: values, errors: errors, test: test)
    }

    private func connectionDetail(_ session: ConsoleSession, name: String) async -> Response {
        let profile: AppFlow.ConnectorProfile
        do { profile = try await self.profile(named: name) } catch { return errorPage(error, session: session) }
        let type = profile.connectorType?.rawValue ?? ""
        let caps = ConnectorCatalog.capabilities(of: type)
        var rows: [(String, String)] = [("Connector", caps?.label ?? type), ("Connection mode", profile.connectionMode?.rawValue ?? ""),
                                        ("ARN", profile.connectorProfileArn ?? ""), ("Credentials", profile.credentialsArn ?? "sealed"),
                                        ("Created", profile.createdAt.map(ConsoleFormat.date) ?? ""),
                                        ("Last updated", profile.lastUpdatedAt.map(ConsoleFormat.date) ?? "")]
        if let caps, let properties = profile.connectorProfileProperties?.json(.iso8601)[caps.propertiesKey], case .object(let members) = properties {
            for (key, value) in members {
                if case .string(let s) = value { rows.append((key, s)) } else { rows.append((key, String(decoding: value.serialized(), as: UTF8.self))) }
            }
        }
        var body = "<h1>Connection \(HTML.escape(name))</h1><dl>"
        body += rows.map { "<dt>\(HTML.escape($0.0))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined() + "</dl>"
        body += "<p class=\"hint\">Credentials are sealed in the store; the console never shows them.</p>"
        body += "<div class=\"actions\"><a href=\"/console/connections/\(HTML.pathSegment(name))/edit\" id=\"edit-connection\">Edit</a> "
        body += Layout.postButton("/console/connections/\(HTML.pathSegment(name))/delete", "Delete", session: session, id: "delete-connection",
                                  style: .danger)
        body += "</div>"
        return ConsoleResponse.html(200, Layout.page("Connection \(name)", session: session, body: body))
    }
}
