import Foundation
import FlowlineAPI

/// Finds the AppFlow operation for a method and path from the model's `requestURI`s
/// (`POST /create-flow`, `GET /tags/{resourceArn}`) and builds its request JSON from the
/// URI labels, the query string and the body, as the REST-JSON protocol places members.
struct OperationRoute: Sendable {
    let operation: AppFlow.Operation
    let method: String
    /// Literal segments, or nil for a `{label}`.
    let segments: [String?]
    let labels: [String]

    static let all: [OperationRoute] = AppFlow.Operation.allCases.map { operation in
        let spec = operation.spec
        var labels: [String] = []
        let segments: [String?] = spec.requestURI.split(separator: "/").map { piece in
            guard piece.hasPrefix("{"), piece.hasSuffix("}") else { return String(piece) }
            labels.append(String(piece.dropFirst().dropLast()).replacingOccurrences(of: "+", with: ""))
            return nil
        }
        return OperationRoute(operation: operation, method: spec.httpMethod, segments: segments, labels: labels)
    }

    /// The route and its decoded URI label values, or nil when no operation lives there.
    static func match(method: String, rawPath: String) -> (OperationRoute, [String: String])? {
        let pieces = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for route in all where route.method == method && route.segments.count == pieces.count {
            var values: [String: String] = [:]
            var labelIndex = 0
            var matched = true
            for (segment, piece) in zip(route.segments, pieces) {
                if let literal = segment {
                    if literal != piece { matched = false; break }
                } else {
                    values[route.labels[labelIndex]] = piece.removingPercentEncoding ?? piece
                    labelIndex += 1
                }
            }
            if matched { return (route, values) }
        }
        return nil
    }

    /// Whether any operation lives at this path (to tell 405 from 404).
    static func knowsPath(_ rawPath: String) -> Bool {
        let count = rawPath.split(separator: "/").count
        return ["GET", "POST", "DELETE", "PUT", "PATCH"].contains { match(method: $0, rawPath: rawPath) != nil } || count == 0
    }

    /// The body object with the URI labels and query string members added.
    func input(body: [UInt8], labels values: [String: String], rawQuery: String?) throws(AppFlowError) -> JSONValue {
        var members: JSONValue.Members = []
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty {
            guard case .object(let bodyMembers) = try JSONValue.parse(text) else {
                throw .validation("The request body must be a JSON object")
            }
            members = bodyMembers
        }
        let query = Self.queryItems(rawQuery)
        for member in operation.spec.inputMembers {
            switch member.location {
            case .body:
                continue
            case .uri(let label):
                if let value = values[label] { members.append((member.jsonName, .string(value))) }
            case .querystring(let name):
                let found = query.filter { $0.0 == name }.map(\.1)
                guard !found.isEmpty else { continue }
                if member.kind == .stringList {
                    members.append((member.jsonName, .array(found.map { .string($0) })))
                } else if member.kind == .integer, let n = Double(found[0]) {
                    members.append((member.jsonName, .number(n)))
                } else {
                    members.append((member.jsonName, .string(found[0])))
                }
            }
        }
        return .object(members)
    }

    static func queryItems(_ raw: String?) -> [(String, String)] {
        guard let raw, !raw.isEmpty else { return [] }
        return raw.split(separator: "&").map { item in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let decode = { (s: String) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s }
            return (decode(kv[0]), decode(kv.count > 1 ? kv[1] : ""))
        }
    }
}
