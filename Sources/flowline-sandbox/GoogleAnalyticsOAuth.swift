import Foundation
import Hummingbird
import NIOCore

/// Google's OAuth 2.0 token endpoint and the pieces every Google Analytics route shares: bearer
/// checks with expiring tokens, faults answered in Google's error shapes, JSON request helpers.
///
/// Emulated, from https://developers.google.com/identity/protocols/oauth2/web-server#offline and
/// https://cloud.google.com/apis/design/errors:
/// - `POST /token` with `grant_type=refresh_token`, `client_id`, `client_secret`, `refresh_token`
///   answers `{"access_token", "expires_in": 3599, "scope", "token_type": "Bearer"}`; a wrong client
///   is `401 invalid_client`, a wrong or revoked refresh token `400 invalid_grant`.
/// - Access tokens expire `expires_in` seconds after they were issued, on Google's clock (the
///   sandbox's `/_sandbox/ga4?now=` moves it); `/_sandbox/expire-tokens` revokes them all at once.
/// - A missing, revoked or expired token is `401` with status `UNAUTHENTICATED`.
/// - Errors are `{"error": {"code", "message", "status"}}` (APIs on Google's current API design), or
///   `{"error": {"errors": [{"domain", "reason", "message"}], "code", "message"}}` for the older
///   Management API v3.
/// - The sandbox's throttle switch is answered `429 RESOURCE_EXHAUSTED` with `Retry-After`, and its
///   fail-every switch `500 INTERNAL`, both in Google's shape.
struct GoogleOAuthRoutes {
    let state: SandboxState
    let google: GoogleAnalyticsState
    static let clientId = "sandbox-client-id"
    static let clientSecret = "sandbox-client-secret"

    func add(to router: Router<BasicRequestContext>) {
        router.post("/token") { request, _ -> Response in
            if let f = GoogleAPI.fault(state, google) { return f }
            let form = SandboxHTTP.form(try await request.body.collect(upTo: 1 << 20))
            guard form["client_id"] == Self.clientId, form["client_secret"] == Self.clientSecret else {
                return SandboxHTTP.json(#"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#, status: .unauthorized)
            }
            guard form["grant_type"] == "refresh_token", form["refresh_token"] == state.refreshToken else {
                return SandboxHTTP.json(#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#, status: .badRequest)
            }
            let token = state.with { d -> String in
                let t = "ya29.sandbox-\(d.nextId)-\(UInt32.random(in: 0...UInt32.max))"
                d.nextId += 1
                d.validTokens.insert(t)
                d.stats.refreshed += 1
                return t
            }
            google.issued(token)
            return SandboxHTTP.json(#"{"access_token":"\#(token)","expires_in":3599,"scope":"https://www.googleapis.com/auth/analytics.readonly","token_type":"Bearer"}"#)
        }
    }
}

/// Shared request and response helpers of the Google Analytics routes.
enum GoogleAPI {
    /// `{"error": {"code", "message", "status"}}`.
    static func error(_ code: Int, _ status: String, _ message: String, headers: HTTPFields = [:]) -> Response {
        SandboxHTTP.json(#"{"error":{"code":\#(code),"message":\#(SandboxFormat.jsonString(message)),"status":"\#(status)"}}"#,
                         status: HTTPResponse.Status(code: code), headers: headers)
    }

    /// The Management API v3 form: `{"error": {"errors": [{domain, reason, message}], "code", "message"}}`.
    static func v3Error(_ code: Int, _ reason: String, _ message: String) -> Response {
        let m = SandboxFormat.jsonString(message)
        return SandboxHTTP.json(#"{"error":{"errors":[{"domain":"global","reason":"\#(reason)","message":\#(m)}],"code":\#(code),"message":\#(m)}}"#,
                                status: HTTPResponse.Status(code: code))
    }

    static let unauthenticated = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."

    /// The sandbox's injected faults, in Google's shape. Server errors also count against a GA4
    /// property's `serverErrorsPerProjectPerHour` when `property` is given.
    static func fault(_ state: SandboxState, _ google: GoogleAnalyticsState, property: String? = nil) -> Response? {
        switch state.admit() {
        case .pass: return nil
        case .throttle(let seconds):
            var h = HTTPFields()
            h[.retryAfter] = String(seconds)
            return error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", headers: h)
        case .fail:
            if let property { GA4Quota.countServerError(google, property: property) }
            return error(500, "INTERNAL", "Internal error encountered.")
        }
    }

    /// The caller's bearer token if it is valid and unexpired.
    static func authorized(_ request: Request, _ state: SandboxState, _ google: GoogleAnalyticsState) -> Bool {
        guard let token = SandboxHTTP.bearer(request) else {
            state.with { $0.stats.unauthorized += 1 }
            return false
        }
        guard state.isValid(bearer: token) else { return false }
        if google.expired(token) {
            state.with { $0.stats.unauthorized += 1 }
            return false
        }
        return true
    }

    /// The request body as a JSON object, or nil when it is not one.
    static func object(_ body: ByteBuffer) -> [String: Any]? {
        let data = Data(buffer: body)
        if data.isEmpty { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// A protobuf-JSON integer: a number, or a string (int64 fields are written as strings);
    /// `absent` when the field is missing, nil when it is not an integer.
    static func integer(_ value: Any?, absent: Int) -> Int? {
        guard let value else { return absent }
        if let s = value as? String { return Int(s) }
        // No `is Bool` test: on Linux every NSNumber 0 or 1 passes it.
        if let n = value as? NSNumber {
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? Int(d) : nil
        }
        return nil
    }

    /// A protobuf-JSON enum: its name, or its number (clients that ask for `enum-encoding=int` send numbers).
    static func enumName(_ value: Any?, _ names: [Int: String]) -> String? {
        if let s = value as? String { return s }
        if let n = value as? NSNumber { return names[n.intValue] }
        return nil
    }

    static func bool(_ value: Any?) -> Bool { (value as? Bool) ?? ((value as? NSNumber)?.boolValue ?? false) }

    /// Whether the client asked for enums as numbers (`$alt=json;enum-encoding=int`), as Google's
    /// generated REST clients do.
    static func integerEnums(_ request: Request) -> Bool {
        (request.uri.queryParameters.get("$alt") ?? "").contains("enum-encoding=int")
    }

    /// A response body from a JSON object.
    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        return SandboxHTTP.json(bytes: [UInt8](data), status: status)
    }

    /// Opaque page tokens (the offset of the next item, base64url).
    static func pageToken(_ offset: Int) -> String {
        Data("o:\(offset)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func offset(pageToken: String) -> Int? {
        var s = pageToken
        while s.count % 4 != 0 { s += "=" }
        guard let data = Data(base64Encoded: s), let text = String(data: data, encoding: .utf8), text.hasPrefix("o:") else { return nil }
        return Int(text.dropFirst(2)).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// RFC 3339 with a `Z`, as Google writes timestamps.
    static func timestamp(_ millis: Int64) -> String { SandboxFormat.time(millis, .iso) }
}
