import FlowlineAPI

/// What "Test connection" answered, for the connection form (in place, by the script, or on the
/// form shown again): success, or what failed in plain words with the service's own message.
enum ConnectionTestResult: Sendable, Equatable {
    case none
    case succeeded
    case failed(plain: String, api: String?)

    static let successMessage = "The connection works: Flowline reached the application with these settings and credentials. Nothing was saved yet."

    /// The result's place on the form; empty and hidden until a test ran (the script fills it).
    var html: String {
        switch self {
        case .none:
            return "<div id=\"test-result\" role=\"status\" hidden></div>"
        case .succeeded:
            return "<div id=\"test-result\" role=\"status\" class=\"notice\">\(HTML.escape(Self.successMessage))</div>"
        case .failed(let plain, let api):
            var out = "<div id=\"test-result\" role=\"status\" class=\"alert\"><span class=\"plain\">\(HTML.escape(plain))</span>"
            if let api { out += "<details class=\"api-message\"><summary>The API's message</summary><code>\(HTML.escape(api))</code></details>" }
            return out + "</div>"
        }
    }

    /// `{"ok": …, "message": …, "apiMessage": …}` for the script.
    var json: String {
        var members: JSONValue.Members
        switch self {
        case .none, .succeeded: members = [("ok", .bool(self == .succeeded)), ("message", .string(Self.successMessage))]
        case .failed(let plain, let api):
            members = [("ok", .bool(false)), ("message", .string(plain))]
            if let api { members.append(("apiMessage", .string(api))) }
        }
        return String(decoding: JSONValue.object(members).serialized(), as: UTF8.self)
    }
}
