import Foundation
import HTTPTypes
import Hummingbird

/// One console request, reduced to what the pages need: method, path pieces under `/console`,
/// query and form fields (URL-encoded; repeated names kept in order), and cookies.
struct ConsoleRequest: Sendable {
    let method: String
    /// Path segments after `/console`, percent-decoded: `/console/flows/a%20b` → `["flows", "a b"]`.
    let segments: [String]
    let query: [(String, String)]
    let form: [(String, String)]
    let cookies: [String: String]
    /// The client's IP address (sign-in attempts are limited per client).
    let client: String

    init(_ request: Request, body: [UInt8], client: String) {
        self.client = client
        method = request.method.rawValue
        segments = request.uri.path.split(separator: "/").dropFirst().map { String($0).removingPercentEncoding ?? String($0) }
        query = Self.urlEncoded(request.uri.query ?? "")
        let contentType = request.headers[.contentType] ?? ""
        form = contentType.hasPrefix("application/x-www-form-urlencoded") ? Self.urlEncoded(String(decoding: body, as: UTF8.self)) : []
        cookies = Self.cookies(request)
    }

    /// The request's cookies by name.
    static func cookies(_ request: Request) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2 { cookies[kv[0]] = kv[1] }
            }
        }
        return cookies
    }

    init(method: String, segments: [String], query: [(String, String)] = [], form: [(String, String)] = [], cookies: [String: String] = [:],
         client: String = "") {
        self.client = client
        self.method = method
        self.segments = segments
        self.query = query
        self.form = form
        self.cookies = cookies
    }

    /// The first value of a form field, trimmed of surrounding spaces; "" when absent.
    func field(_ name: String) -> String {
        (form.first { $0.0 == name }?.1 ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The raw first value (textareas whose line breaks matter), "" when absent.
    func rawField(_ name: String) -> String { form.first { $0.0 == name }?.1 ?? "" }

    /// Every value of a repeated field (checkbox groups, table rows), in order.
    func fields(_ name: String) -> [String] { form.filter { $0.0 == name }.map(\.1) }

    func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    static func urlEncoded(_ text: String) -> [(String, String)] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&").map { item in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let decode = { (s: String) in s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? s }
            return (decode(kv[0]), decode(kv.count > 1 ? kv[1] : ""))
        }
    }
}

/// Responses the console sends: pages, redirects after a POST, small JSON answers and assets.
enum ConsoleResponse {
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"),
        (.xContentTypeOptions, "nosniff"),
        (.cacheControl, "no-store"),
        (HTTPField.Name("Referrer-Policy")!, "same-origin"),
    ]

    static func html(_ status: Int, _ page: String, cookie: String? = nil) -> Response {
        response(status, contentType: "text/html; charset=utf-8", page, cookie: cookie)
    }

    static func text(_ status: Int, _ text: String) -> Response {
        response(status, contentType: "text/plain; charset=utf-8", text)
    }

    static func json(_ text: String) -> Response {
        response(200, contentType: "application/json", text)
    }

    static func asset(_ text: String, contentType: String) -> Response {
        var r = response(200, contentType: contentType, text)
        r.headers[.cacheControl] = "max-age=300"
        return r
    }

    /// 303: the browser follows with a GET, so reloading the next page does not repeat the POST.
    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var r = response(303, contentType: "text/plain; charset=utf-8", "", cookie: cookie)
        r.headers[.location] = location
        return r
    }

    private static func response(_ status: Int, contentType: String, _ body: String, cookie: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        for (name, value) in securityHeaders { headers[name] = value }
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
