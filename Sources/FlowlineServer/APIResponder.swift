import Foundation
import FlowlineAPI
import FlowlineService
import HTTPTypes
import Hummingbird
import Logging

/// Answers every request: `/health` and `/metrics` openly; the AppFlow operations at their model
/// URIs and `POST /events/salesforce/{flowName}` after checking the SigV4 signature.
struct APIResponder: HTTPResponder {
    typealias Context = FlowlineRequestContext

    static let maxBodyBytes = 32 << 20

    let service: AppFlowService
    let runs: RunManager
    /// Where operations run: their store calls block, so they stay off the cooperative pool.
    let executor: BlockingWorkExecutor
    let verifier: SigV4Verifier?
    /// Set when the server runs with `--no-auth`: what a web page could send is refused.
    let localOnly: LocalOnlyGuard?
    /// How long a request's body may take to arrive.
    let requestTimeout: Duration
    let metrics: ServerMetrics
    /// The console's live sessions, for `/metrics`.
    let consoleSessionCount: @Sendable () -> Int
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue, path = request.uri.path
        if method == "GET" && path == "/health" {
            return Self.json(200, .object([("status", .string("ok")), ("runsInFlight", .number(Double(runs.inFlightCount)))]))
        }
        if method == "GET" && path == "/metrics" {
            let text = metrics.exposition(runsInFlight: runs.inFlightCount, consoleSessions: consoleSessionCount())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        if let refusal = localOnly?.refusal(request, console: false) {
            context.stopReading()
            metrics.request(operation: "refused", status: refusal.status.code)
            return refusal
        }
        // Everything SigV4 can check without the body is checked before it is read: an
        // unauthenticated client cannot make the server buffer (or wait for) a body.
        let headers = Self.signingHeaders(request)
        if let verifier {
            do {
                _ = try verifier.authorization(headers)
            } catch {
                context.stopReading()
                return refuse(error, path: path)
            }
        }
        let body: [UInt8]
        do {
            body = try await RequestBodyReader.collect(request, upTo: Self.maxBodyBytes, within: requestTimeout, context: context)
        } catch .tooLarge {
            return Self.error(413, type: "ValidationException", "The request body is larger than \(Self.maxBodyBytes) bytes")
        } catch .tooSlow {
            return Self.error(408, type: "RequestTimeoutException", "The request body did not arrive within the server's request timeout")
        }
        if let verifier {
            do {
                try verifier.verify(SigV4Verifier.Request(method: method, rawPath: path, rawQuery: request.uri.query,
                                                          headers: headers, body: body))
            } catch {
                return refuse(error, path: path)
            }
        }
        let segments = path.split(separator: "/").map(String.init)
        if method == "POST", segments.count == 3, segments[0] == "events", segments[1] == "salesforce" {
            let flowName = segments[2].removingPercentEncoding ?? segments[2]
            return await withTaskExecutorPreference(executor) { await changeEvents(flowName: flowName, body: body) }
        }
        guard let (route, labels) = OperationRoute.match(method: method, rawPath: path) else {
            metrics.request(operation: "unknown", status: 404)
            return Self.error(404, type: "UnknownOperationException", "No AppFlow operation at \(method) \(path)")
        }
        let operation = route.operation
        do {
            let input = try route.input(body: body, labels: labels, rawQuery: request.uri.query)
            let service = self.service
            let output = try await withTaskExecutorPreference(executor) {
                try await service.handle(operation, input)
            }
            metrics.request(operation: operation.rawValue, status: 200)
            return Self.json(200, output.json(.epochSeconds))
        } catch let error as AppFlowError {
            metrics.request(operation: operation.rawValue, status: error.httpStatus)
            if error.code == .internalServer {
                logger.error("Operation failed", metadata: ["operation": "\(operation.rawValue)", "error": "\(error.message)"])
            }
            return Self.error(error.httpStatus, type: error.code.rawValue, error.message)
        }
    }

    private func changeEvents(flowName: String, body: [UInt8]) async -> Response {
        do {
            let json = try JSONValue.parse(String(decoding: body, as: UTF8.self))
            let accepted = try runs.acceptSalesforceChangeEvents(flowName: flowName, body: json)
            metrics.request(operation: "SalesforceChangeEvents", status: 202)
            return Self.json(202, .object([("flowName", .string(flowName)), ("executionId", .string(accepted.executionId)),
                                           ("changedRecords", .number(Double(accepted.changedRecords)))]))
        } catch {
            metrics.request(operation: "SalesforceChangeEvents", status: error.httpStatus)
            return Self.error(error.httpStatus, type: error.code.rawValue, error.message)
        }
    }

    private func refuse(_ error: SigV4Verifier.Failure, path: String) -> Response {
        logger.notice("Request refused", metadata: ["path": "\(path)", "reason": "\(error.type)"])
        metrics.request(operation: "unauthenticated", status: error.status)
        return Self.error(error.status, type: error.type, error.message)
    }

    /// The request's headers as SigV4 sees them: names lower-cased, repeats joined with ",", and
    /// `Host` from HTTP/1's authority.
    static func signingHeaders(_ request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + "," + field.value } ?? field.value
        }
        if let authority = request.head.authority { headers["host"] = authority }
        return headers
    }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        Response(status: .init(code: status),
                 headers: [.contentType: "application/json", requestIdHeader: UUID().uuidString.lowercased()],
                 body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }

    /// AWS REST-JSON errors: the type in `x-amzn-ErrorType`, the message in the body.
    static func error(_ status: Int, type: String, _ message: String) -> Response {
        var response = json(status, .object([("message", .string(message))]))
        response.headers[errorTypeHeader] = type
        return response
    }

    static let errorTypeHeader = HTTPField.Name("x-amzn-ErrorType")!
    static let requestIdHeader = HTTPField.Name("x-amzn-RequestId")!
}
