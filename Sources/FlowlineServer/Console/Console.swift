import Foundation
import FlowlineAPI
import FlowlineService
import Hummingbird

/// The web console: sign-in, connections, the create-flow wizard and the flows pages.
///
/// Every page is rendered on the server; forms POST back and are answered with a redirect (or the
/// same form with the service's messages next to its fields). Every POST must carry the session's
/// CSRF token.
struct Console: Sendable {
    static let maxBodyBytes = 4 << 20
    /// The sign-in form: two keys and a token.
    static let signInBodyBytes = 16 << 10

    let service: AppFlowService
    /// The API's executor for blocking work: store calls stay off the cooperative pool.
    let executor: BlockingWorkExecutor
    /// nil when the server runs with `--no-auth`: the console then opens without signing in.
    let accessKey: AccessKey?
    let sessions: ConsoleSessions
    /// Served over TLS: cookies are marked Secure.
    let secureCookies: Bool
    let signInForms = SignInForms()
    let signInThrottle = SignInThrottle()

    func respond(_ request: ConsoleRequest) async -> Response {
        let segments = request.segments
        if request.method == "GET", segments.count == 2, segments[0] == "assets" {
            return ConsoleAssets.response(segments[1]) ?? notFound()
        }
        if segments == ["sign-in"] {
            return request.method == "POST" ? signIn(request) : signInPage(request, message: nil)
        }
        var newCookie: String?
        var current = sessions.session(request.cookies[ConsoleSessions.cookieName]).flatMap { $0.signedIn ? $0 : nil }
        if current == nil, accessKey == nil {
            let created = sessions.create(signedIn: true)
            newCookie = ConsoleSessions.cookie(created.id, secure: secureCookies)
            current = created
        }
        guard let session = current else { return ConsoleResponse.redirect("/console/sign-in") }
        if request.method == "POST" {
            guard ConsoleSessions.constantTimeEqual(request.field("csrf"), session.csrfToken) else {
                return ConsoleResponse.html(403, Layout.page("Refused", session: nil, body:
                    "<h1>Refused</h1><p class=\"error\">The form did not carry this session's CSRF token; reload the page and try again.</p>"))
            }
            if segments == ["sign-out"] {
                sessions.remove(session.id)
                return ConsoleResponse.redirect("/console/sign-in", cookie: ConsoleSessions.expiredCookie(secure: secureCookies))
            }
        }
        var response = await route(request, session)
        if let newCookie { response.headers[.setCookie] = newCookie }
        return response
    }

    private func route(_ request: ConsoleRequest, _ session: ConsoleSession) async -> Response {
        let s = request.segments
        switch s.first {
        case nil: return ConsoleResponse.redirect("/console/flows")
        case "connections": return await connections(request, session, Array(s.dropFirst()))
        case "wizard": return await wizard(request, session, Array(s.dropFirst()))
        case "flows": return await flows(request, session, Array(s.dropFirst()))
        default: return notFound()
        }
    }

    /// How much of a request's body the console reads: a signed-in browser's forms, the small
    /// sign-in form, or nothing at all for anyone else (they are sent to sign in).
    func bodyLimit(path: String, cookies: [String: String]) -> Int {
        if path == "/console/sign-in" { return Self.signInBodyBytes }
        if accessKey == nil || sessions.session(cookies[ConsoleSessions.cookieName]) != nil { return Self.maxBodyBytes }
        return 0
    }

    func notFound() -> Response {
        ConsoleResponse.html(404, Layout.page("Not found", session: nil, body: "<h1>Not found</h1><p><a href=\"/console\">Back to the console</a></p>"))
    }

    /// One operation of the service, the way the API performs it (start-flow queues the run on the
    /// server's run manager, which the service was given as its run launcher).
    func call<Output>(_ operation: AppFlow.Operation, _ input: JSONValue, as: Output.Type = Output.self) async throws(AppFlowError) -> Output {
        let service = self.service
        let output: any ShapeValue
        do {
            output = try await withTaskExecutorPreference(executor) { try await service.handle(operation, input) }
        } catch let error as AppFlowError {
            throw error
        } catch {
            throw .internalServer("\(operation.rawValue) failed: \(error)")
        }
        guard let typed = output as? Output else { throw .internalServer("\(operation.rawValue) answered an unexpected shape") }
        return typed
    }

    /// A page that reports a service error which belongs to no form (a missing flow, a conflict).
    func errorPage(_ error: AppFlowError, session: ConsoleSession) -> Response {
        let status = error.code == .resourceNotFound ? 404 : error.httpStatus
        return ConsoleResponse.html(status, Layout.page(error.code.rawValue, session: session, body:
            "<h1>\(HTML.escape(error.code.rawValue))</h1><p class=\"error\">\(HTML.escape(error.message))</p><p><a href=\"/console/flows\">Flows</a> · <a href=\"/console/connections\">Connections</a></p>"))
    }

    // MARK: Sign-in

    private func signInPage(_ request: ConsoleRequest, message: String?, status: Int = 401) -> Response {
        if accessKey == nil { return ConsoleResponse.redirect("/console/flows") }
        // The form's CSRF token is signed, not stored: loading this page keeps nothing in memory.
        let form = signInForms.issue()
        let body = """
            <h1>Sign in to Flowline</h1>
            <form method="post" action="/console/sign-in" class="narrow" novalidate>
            \(HTML.hidden("csrf", form.token))
            \(message.map { "<p class=\"error\" data-error-for=\"signin\">\(HTML.escape($0))</p>" } ?? "")
            \(HTML.field("Access key ID", name: "accessKeyId", HTML.input("accessKeyId", "", extra: "autocomplete=\"username\""), errors: FieldErrors()))
            \(HTML.field("Secret access key", name: "secretAccessKey", HTML.password("secretAccessKey"), errors: FieldErrors(),
                         hint: "The key `flowline serve` accepts (FLOWLINE_ACCESS_KEY_ID / FLOWLINE_SECRET_ACCESS_KEY or the credentials file)."))
            <button type="submit" id="sign-in">Sign in</button>
            </form>
            """
        return ConsoleResponse.html(message == nil ? 200 : status, Layout.page("Sign in", session: nil, body: body),
                                    cookie: ConsoleSessions.cookie(form.cookie, secure: secureCookies))
    }

    private func signIn(_ request: ConsoleRequest) -> Response {
        guard let accessKey else { return ConsoleResponse.redirect("/console/flows") }
        // Guessing is slowed before anything is compared, so even the right key waits its turn.
        if let wait = signInThrottle.retryAfter(client: request.client) {
            var response = signInPage(request, message: "Too many failed sign-ins; try again in \(wait) seconds.", status: 429)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        guard signInForms.accepts(token: request.field("csrf"), cookie: request.cookies[ConsoleSessions.cookieName]) else {
            return signInPage(request, message: "The sign-in form expired; please try again.")
        }
        let idMatches = ConsoleSessions.constantTimeEqual(request.field("accessKeyId"), accessKey.id)
        let secretMatches = ConsoleSessions.constantTimeEqual(request.rawField("secretAccessKey"), accessKey.secret)
        guard idMatches && secretMatches else {
            signInThrottle.recordFailure(client: request.client)
            return signInPage(request, message: "The access key ID or secret access key is not the one this server accepts.")
        }
        // A fresh session id after signing in, so a planted cookie cannot ride along.
        let session = sessions.create(signedIn: true)
        return ConsoleResponse.redirect("/console/flows", cookie: ConsoleSessions.cookie(session.id, secure: secureCookies))
    }
}
