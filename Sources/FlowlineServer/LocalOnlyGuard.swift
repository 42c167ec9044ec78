import Foundation
import HTTPTypes
import Hummingbird

/// What a `--no-auth` server refuses so that a web page cannot drive it: a browser can be made to
/// send requests to `127.0.0.1` (cross-site requests, or DNS rebinding of another name to it), and
/// without SigV4 nothing else would tell those apart from the developer's own tools.
///
/// - every request must name a loopback host (`127.0.0.1`, `localhost`, `[::1]`), which a
///   rebound name is not;
/// - API requests must not carry `Origin` (browsers add it to cross-origin and POST requests;
///   boto3, the AWS CLI and `flowline --endpoint-url` never send it), and a body must be JSON,
///   which a page can only send after a CORS preflight the server never grants;
/// - console requests may carry `Origin` only when it is the console's own.
struct LocalOnlyGuard: Sendable {
    static let jsonContentTypes = ["application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1"]

    func refusal(_ request: Request, console: Bool) -> Response? {
        let authority = request.head.authority ?? ""
        guard ServerConfiguration.isLoopback(Self.hostName(authority)) else {
            return APIResponder.error(403, type: "AccessDeniedException",
                                      "This server runs with --no-auth and answers only requests for a loopback host, not '\(authority)'")
        }
        if let origin = request.headers[.origin] {
            let own = ["http://\(authority)", "https://\(authority)"]
            if !console || !own.contains(origin) {
                return APIResponder.error(403, type: "AccessDeniedException",
                                          "This server runs with --no-auth and refuses requests from web pages (Origin: \(origin))")
            }
        }
        if !console, Self.hasBody(request) {
            let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
            guard Self.jsonContentTypes.contains(type) else {
                return APIResponder.error(415, type: "UnsupportedMediaTypeException",
                                          "This server runs with --no-auth and takes request bodies only as application/json, not '\(type)'")
            }
        }
        return nil
    }

    /// The host of an authority: `127.0.0.1:8080` → `127.0.0.1`, `[::1]:8080` → `[::1]`.
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        return authority.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
    }

    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength], let n = Int(length) { return n > 0 }
        return request.headers[.transferEncoding] != nil
    }
}
