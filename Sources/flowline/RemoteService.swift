import ArgumentParser
import AsyncHTTPClient
import Foundation
import FlowlineAPI
import FlowlineServer
import NIOCore
import NIOHTTP1
import NIOSSL

/// An AppFlow operation sent to a `flowline serve` (or any AppFlow REST-JSON endpoint) instead of
/// the embedded store: `--endpoint-url http://127.0.0.1:PORT`. Requests are signed with SigV4 from
/// `FLOWLINE_ACCESS_KEY_ID`/`FLOWLINE_SECRET_ACCESS_KEY` (or `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`).
/// An `https://` endpoint is verified against the system's CAs, or the PEM file in
/// `AWS_CA_BUNDLE` (as the AWS CLI does) for a server with a private CA.
enum RemoteService {
    struct Failure: Error {
        let type: String
        let message: String
    }

    static func invoke(_ operation: AppFlow.Operation, _ request: JSONValue, endpoint: String) async throws {
        guard let base = URL(string: endpoint), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw CLIError.badParameter(option: "--endpoint-url", "Invalid endpoint: \(endpoint)")
        }
        do {
            let response = try await call(operation, request, base: base)
            Output.printResponse(response)
        } catch let failure as Failure {
            let line = "\nAn error occurred (\(failure.type)) when calling the \(operation.rawValue) operation: \(failure.message)\n"
            FileHandle.standardError.write(Data(line.utf8))
            throw ExitCode(CLIError.serviceExitCode)
        }
    }

    /// Sends the request and returns the response as the CLI prints it (timestamps in ISO 8601).
    static func call(_ operation: AppFlow.Operation, _ request: JSONValue, base: URL) async throws -> JSONValue {
        let spec = operation.spec
        guard case .object(let members) = request else { throw Failure(type: "ValidationException", message: "request is not an object") }
        var path = spec.requestURI
        var query: [(String, String)] = []
        var body: JSONValue.Members = []
        for (name, value) in members {
            let location = spec.inputMembers.first { $0.jsonName == name }?.location ?? .body
            switch location {
            case .body:
                body.append((name, value))
            case .uri(let label):
                let text = if case .string(let s) = value { s } else { String(decoding: value.serialized(), as: UTF8.self) }
                path = path.replacingOccurrences(of: "{\(label)}", with: SigV4Verifier.uriEncode(text, keepSlash: false))
            case .querystring(let key):
                switch value {
                case .array(let items): for case .string(let s) in items { query.append((key, s)) }
                case .string(let s): query.append((key, s))
                default: query.append((key, String(decoding: value.serialized(), as: UTF8.self)))
                }
            }
        }
        let rawQuery = query.map { "\(SigV4Verifier.uriEncode($0.0, keepSlash: false))=\(SigV4Verifier.uriEncode($0.1, keepSlash: false))" }
            .joined(separator: "&")
        let basePath = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
        let fullPath = basePath + path
        let payload: [UInt8] = spec.httpMethod == "POST" || !body.isEmpty ? Array(JSONValue.object(body).serialized()) : []
        var authority = base.host!
        if let port = base.port { authority += ":\(port)" }

        var headers: [String: String] = ["host": authority, "x-amz-date": SigV4Verifier.amzDate(Date())]
        if !payload.isEmpty { headers["content-type"] = "application/json" }
        let env = ProcessInfo.processInfo.environment
        if let id = env["FLOWLINE_ACCESS_KEY_ID"] ?? env["AWS_ACCESS_KEY_ID"],
           let secret = env["FLOWLINE_SECRET_ACCESS_KEY"] ?? env["AWS_SECRET_ACCESS_KEY"] {
            let region = env["FLOWLINE_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? env["AWS_REGION"] ?? "us-east-1"
            let signer = SigV4Verifier(key: AccessKey(id: id, secret: secret))
            let signed = headers.keys.sorted()
            let view = SigV4Verifier.Request(method: spec.httpMethod, rawPath: fullPath, rawQuery: rawQuery, headers: headers, body: payload)
            let amzDate = headers["x-amz-date"]!
            let signature = signer.signatureHex(view, amzDate: amzDate, region: region, signedHeaders: signed)
            headers["authorization"] = "AWS4-HMAC-SHA256 Credential=\(id)/\(amzDate.prefix(8))/\(region)/appflow/aws4_request, "
                + "SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"
        }

        var http = HTTPClientRequest(url: "\(base.scheme!)://\(authority)\(fullPath)\(rawQuery.isEmpty ? "" : "?" + rawQuery)")
        http.method = HTTPMethod(rawValue: spec.httpMethod)
        for (name, value) in headers where name != "host" { http.headers.add(name: name, value: value) }
        if !payload.isEmpty { http.body = .bytes(ByteBuffer(bytes: payload)) }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            let bundle = env["AWS_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
            if let bundle {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .file(bundle)
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
                do {
                    response = try await client.execute(http, timeout: .seconds(300))
                    bytes = try await response.body.collect(upTo: 256 << 20)
                } catch {
                    try? await client.shutdown()
                    throw error
                }
                try? await client.shutdown()
            } else {
                response = try await HTTPClient.shared.execute(http, timeout: .seconds(300))
                bytes = try await response.body.collect(upTo: 256 << 20)
            }
        } catch {
            throw Failure(type: "EndpointConnectionError", message: "Could not connect to the endpoint URL: \"\(base.absoluteString)\" (\(error))")
        }
        let text = String(buffer: bytes)
        let json = text.isEmpty ? JSONValue.object([]) : ((try? JSONValue.parse(text)) ?? .object([]))
        guard (200..<300).contains(Int(response.status.code)) else {
            let type = response.headers.first(name: "x-amzn-ErrorType")?.split(separator: ":").first.map(String.init)
                ?? "HTTP\(response.status.code)"
            let message: String = if case .string(let m)? = json["message"] ?? json["Message"] { m } else { text }
            throw Failure(type: type, message: message)
        }
        // Re-read the wire form (epoch seconds) into the model's shape, then print as the CLI does.
        do {
            return try spec.output.init(json: json, at: ShapePath()).json(.iso8601)
        } catch {
            return json
        }
    }
}
