import FlowlineAPI
import Hummingbird

/// Flows: the list, a flow's details and execution history, run now, activate, deactivate, edit, delete.
extension Console {
    func flows(_ request: ConsoleRequest, _ session: ConsoleSession, _ path: [String]) async -> Response {
        switch (request.method, path.count) {
        case ("GET", 0): return await flowList(session, notice: request.queryValue("notice"))
        case ("GET", 1): return await flowDetail(session, name: path[0], notice: request.queryValue("notice"))
        case ("GET", 2) where path[1] == "edit":
            do {
                let flow: AppFlow.DescribeFlowResponse = try await call(.describeFlow, .object([("flowName", .string(path[0]))]))
                sessions.update(session.id) { $0.draft = FlowDraft(editing: flow) }
                return ConsoleResponse.redirect("/console/wizard/details")
            } catch { return errorPage(error, session: session) }
        case ("POST", 2):
            return await flowAction(path[1], name: path[0], request: request, session: session)
        default: return notFound()
        }
    }

    private func flowAction(_ action: String, name: String, request: ConsoleRequest, session: ConsoleSession) async -> Response {
        let flow = JSONValue.object([("flowName", .string(name))])
        let here = "/console/flows/\(HTML.pathSegment(name))"
        if action == "delete" || action == "cancel", request.field("confirmed") != "yes" {
            return action == "delete"
                ? confirmPage(session, title: "Delete flow \(name)?",
                              message: "The flow, its schedule and its execution history are removed; files it already wrote stay. This cannot be undone.",
                              action: here + "/delete", button: "Delete flow", cancel: here)
                : confirmPage(session, title: "Stop the runs of \(name)?",
                              message: "Runs in progress end Canceled and publish nothing they wrote.",
                              action: here + "/cancel", button: "Stop runs", cancel: here)
        }
        do {
            switch action {
            case "run", "activate":
                // start-flow: an on-demand flow runs now in the background; a scheduled or event flow is activated.
                let started: AppFlow.StartFlowResponse = try await call(.startFlow, flow)
                let notice = started.executionId.map { "Started run \($0)" } ?? "Activated flow \(name)"
                return ConsoleResponse.redirect(here + "?notice=" + HTML.pathSegment(notice))
            case "deactivate":
                let _: AppFlow.StopFlowResponse = try await call(.stopFlow, flow)
                return ConsoleResponse.redirect(here + "?notice=" + HTML.pathSegment("Deactivated flow \(name)"))
            case "cancel":
                let _: AppFlow.CancelFlowExecutionsResponse = try await call(.cancelFlowExecutions, flow)
                return ConsoleResponse.redirect(here + "?notice=" + HTML.pathSegment("Asked the runs in progress to stop"))
            case "delete":
                let _: AppFlow.DeleteFlowResponse = try await call(.deleteFlow, .object([("flowName", .string(name)),
                                                                                       ("forceDelete", .bool(request.field("forceDelete") == "true"))]))
                return ConsoleResponse.redirect("/console/flows?notice=" + HTML.pathSegment("Deleted flow \(name)"))
            default:
                return notFound()
            }
        } catch {
            return ConsoleResponse.redirect(here + "?notice=" + HTML.pathSegment("\(error.code.rawValue): \(error.message)"))
        }
    }

    private func flowList(_ session: ConsoleSession, notice: String?) async -> Response {
        var flows: [AppFlow.FlowDefinition] = []
        var token: String?
        do {
            repeat {
                var input: JSONValue.Members = [("maxResults", .number(100))]
                if let token { input.append(("nextToken", .string(token))) }
                let page: AppFlow.ListFlowsResponse = try await call(.listFlows, .object(input))
                flows += page.flows ?? []
                token = page.nextToken
            } while token != nil
        } catch { return errorPage(error, session: session) }
        var body = "<h1>Flows</h1>"
        if let notice { body += "<p class=\"notice\">\(HTML.escape(notice))</p>" }
        body += "<p><a href=\"/console/wizard/new\" id=\"create-flow-link\">Create flow</a></p>"
        if flows.isEmpty {
            body += "<p class=\"hint\">No flows yet.</p>"
        } else {
            body += HTML.table(["Name", "Status", "Trigger", "Source", "Destination", "Last run"], flows.map { f -> [String] in
                let name = f.flowName ?? ""
                let last = f.lastRunExecutionDetails
                let lastRun = last.map { d in
                    "<span class=\"status-\(HTML.escape(d.mostRecentExecutionStatus?.rawValue ?? ""))\">\(HTML.escape(d.mostRecentExecutionStatus?.rawValue ?? ""))</span> "
                        + HTML.escape(d.mostRecentExecutionTime.map(ConsoleFormat.date) ?? "")
                } ?? "—"
                return [HTML.link("/console/flows/\(HTML.pathSegment(name))", name),
                        "<span class=\"status-\(HTML.escape(f.flowStatus?.rawValue ?? ""))\">\(HTML.escape(f.flowStatus?.rawValue ?? ""))</span>",
                        HTML.escape(f.triggerType?.rawValue ?? ""), HTML.escape(f.sourceConnectorType?.rawValue ?? ""),
                        HTML.escape(f.destinationConnectorType?.rawValue ?? ""), lastRun]
            }, id: "flows")
        }
        return ConsoleResponse.html(200, Layout.page("Flows", session: session, body: body))
    }

    private func flowDetail(_ session: ConsoleSession, name: String, notice: String?) async -> Response {
        let flow: AppFlow.DescribeFlowResponse
        let executions: [AppFlow.ExecutionRecord]
        do {
            flow = try await call(.describeFlow, .object([("flowName", .string(name))]))
            let page: AppFlow.DescribeFlowExecutionRecordsResponse = try await call(.describeFlowExecutionRecords, .object([
                ("flowName", .string(name)), ("maxResults", .number(50))]))
            executions = page.flowExecutions ?? []
        } catch { return errorPage(error, session: session) }
        let draft = FlowDraft(editing: flow)
        let running = executions.contains { $0.executionStatus == .inProgress || $0.executionStatus == .cancelStarted }
        let here = "/console/flows/\(HTML.pathSegment(name))"
        var body = "<h1>Flow \(HTML.escape(name))</h1>"
        if let notice { body += "<p class=\"notice\" id=\"notice\">\(HTML.escape(notice))</p>" }
        body += "<div class=\"actions\">"
        let onDemand = flow.triggerConfig?.triggerType == .onDemand
        if onDemand {
            body += Layout.postButton(here + "/run", "Run flow", session: session, id: "run-flow")
        } else if flow.flowStatus == .active {
            body += Layout.postButton(here + "/deactivate", "Deactivate flow", session: session, id: "deactivate-flow")
        } else {
            body += Layout.postButton(here + "/activate", "Activate flow", session: session, id: "activate-flow")
        }
        if running { body += Layout.postButton(here + "/cancel", "Stop runs in progress", session: session, id: "cancel-runs", style: .danger) }
        body += "<a href=\"\(here)/edit\" id=\"edit-flow\">Edit</a>"
        body += "<span class=\"spacer\"></span>"
        body += Layout.postButton(here + "/delete", "Delete", session: session, id: "delete-flow", style: .danger)
        body += "</div>"
        let status = flow.flowStatus?.rawValue ?? ""
        var rows: [(String, String)] = [("Status", status), ("Description", flow.description ?? ""), ("ARN", flow.flowArn ?? ""),
                                        ("Encryption", flow.kmsArn ?? "Flowline-managed key")]
        rows.append(("Trigger", draft.triggerSummary))
        rows.append(("Source", draft.sourceSummary))
        rows.append(("Destination", draft.destinationSummary))
        rows.append(("Tags", draft.tags.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")))
        rows.append(("Created", flow.createdAt.map(ConsoleFormat.date) ?? ""))
        rows.append(("Last updated", flow.lastUpdatedAt.map(ConsoleFormat.date) ?? ""))
        body += "<dl id=\"flow-details\">" + rows.map { "<dt>\(HTML.escape($0.0))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined() + "</dl>"
        if let last = executions.first(where: { $0.executionStatus != .inProgress && $0.executionStatus != .cancelStarted }) {
            body += "<h2>Output</h2>" + RunOutput.html(draft, flowName: name, execution: last, s3Root: service.configuration.s3Root)
        }
        body += "<h2>Mapping and filters</h2>"
        if case .array(let tasks)? = flow.json(.iso8601)["tasks"] { body += TaskTable.html(tasks) }
        body += "<h2>Execution history</h2>"
        if running { body += "<p class=\"hint\" id=\"refreshing\">A run is in progress; this page refreshes every 2 seconds.</p>" }
        if executions.isEmpty {
            body += "<p class=\"hint\" id=\"no-executions\">No runs yet.</p>"
        } else {
            body += HTML.table(["Execution ID", "Status", "Started", "Duration", "Records", "Bytes processed", "Bytes written", "Failures", "Message"],
                               executions.map { e -> [String] in
                let result = e.executionResult
                let statusText = e.executionStatus?.rawValue ?? ""
                let finished = e.executionStatus == .inProgress ? nil : e.lastUpdatedAt
                return [HTML.escape(e.executionId ?? ""), "<span class=\"status status-\(HTML.escape(statusText))\">\(HTML.escape(statusText))</span>",
                        HTML.escape(e.startedAt.map(ConsoleFormat.date) ?? ""), HTML.escape(ConsoleFormat.duration(from: e.startedAt, to: finished)),
                        "<span class=\"records\">\(result?.recordsProcessed.map(String.init) ?? "—")</span>",
                        HTML.escape(ConsoleFormat.bytes(result?.bytesProcessed)), HTML.escape(ConsoleFormat.bytes(result?.bytesWritten)),
                        HTML.escape(result?.errorInfo?.putFailuresCount.map(String.init) ?? "0"),
                        HTML.escape(result?.errorInfo?.executionMessage ?? "")]
            }, id: "executions")
        }
        return ConsoleResponse.html(200, Layout.page("Flow \(name)", session: session, body: body, refreshSeconds: running ? 2 : nil))
    }
}
