import Hummingbird

extension Console {
    /// The page a destructive action answers before it acts: what will happen, a danger button that
    /// posts the same action again with `confirmed=yes`, and a way back. A page rather than a
    /// script's dialog, so the question is asked with or without scripts.
    func confirmPage(_ session: ConsoleSession, title: String, message: String, action: String, button: String, cancel: String,
                     extra: [(String, String)] = []) -> Response {
        var body = "<h1>\(HTML.escape(title))</h1><p>\(HTML.escape(message))</p>"
        body += "<form method=\"post\" action=\"\(HTML.escape(action))\" id=\"confirm-form\">\(Layout.csrf(session))\(HTML.hidden("confirmed", "yes"))"
        for (name, value) in extra { body += HTML.hidden(name, value) }
        body += "<div class=\"actions\"><button type=\"submit\" class=\"danger\" id=\"confirm\">\(HTML.escape(button))</button>"
        body += "<a href=\"\(HTML.escape(cancel))\" id=\"cancel\">Cancel</a></div></form>"
        return ConsoleResponse.html(200, Layout.page(title, session: session, body: body))
    }
}
