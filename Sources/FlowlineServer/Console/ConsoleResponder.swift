import Foundation
import FlowlineAPI
import FlowlineService
import Hummingbird

/// Serves the web console under `/console` and hands every other request to the API responder.
///
/// The console calls the same `AppFlowService` in-process, so every rule the API enforces is
/// enforced here too; start-flow goes through the same background run manager.
struct ConsoleResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let api: APIResponder
    let console: Console

    /// The console uses the API's own service and executor, so its operations behave exactly as the API's.
    init(api: APIResponder, accessKey: AccessKey?) {
        self.api = api
        self.console = Console(service: api.service, executor: api.executor, accessKey: accessKey, sessions: ConsoleSessions())
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path == Favicon.path, request.method == .get || request.method == .head { return Favicon.response() }
        guard path == "/console" || path.hasPrefix("/console/") else {
            return try await api.respond(to: request, context: context)
        }
        var request = request
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.collectBody(upTo: Console.maxBodyBytes))
        } catch {
            return ConsoleResponse.text(413, "The form is larger than \(Console.maxBodyBytes) bytes")
        }
        let consoleRequest = ConsoleRequest(request, body: body)
        let console = self.console
        return await withTaskExecutorPreference(console.executor) { await console.respond(consoleRequest) }
    }
}
