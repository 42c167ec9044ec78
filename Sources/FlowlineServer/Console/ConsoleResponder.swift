import Foundation
import FlowlineAPI
import FlowlineService
import Hummingbird

/// Serves the web console under `/console` and hands every other request to the API responder.
///
/// The console calls the same `AppFlowService` in-process, so every rule the API enforces is
/// enforced here too; start-flow goes through the same background run manager.
struct ConsoleResponder: HTTPResponder {
    typealias Context = FlowlineRequestContext

    let api: APIResponder
    let console: Console

    /// The console uses the API's own service and executor, so its operations behave exactly as the API's.
    init(api: APIResponder, accessKey: AccessKey?, sessions: ConsoleSessions, secureCookies: Bool) {
        self.api = api
        self.console = Console(service: api.service, executor: api.executor, accessKey: accessKey, sessions: sessions,
                               secureCookies: secureCookies)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == Favicon.path, request.method == .get || request.method == .head { return Favicon.response() }
        guard path == "/console" || path.hasPrefix("/console/") else {
            return try await api.respond(to: request, context: context)
        }
        if let refusal = api.localOnly?.refusal(request, console: true) {
            context.stopReading()
            return refusal
        }
        // A browser that is not signed in gets the sign-in page whatever it sent: its body is
        // not read (only the sign-in form's own, which is small).
        let limit = console.bodyLimit(path: path, cookies: ConsoleRequest.cookies(request))
        var body: [UInt8] = []
        do {
            if limit > 0 {
                body = try await RequestBodyReader.collect(request, upTo: limit, within: api.requestTimeout, context: context)
            } else {
                context.stopReading()
            }
        } catch .tooLarge {
            return ConsoleResponse.text(413, "The form is larger than \(limit) bytes")
        } catch .tooSlow {
            return ConsoleResponse.text(408, "The form did not arrive within the server's request timeout")
        }
        let consoleRequest = ConsoleRequest(request, body: body, client: context.clientAddress)
        let console = self.console
        return await withTaskExecutorPreference(console.executor) { await console.respond(consoleRequest) }
    }
}
