/// The frame around every console page: head, navigation, the sign-out form.
enum Layout {
    static func page(_ title: String, session: ConsoleSession?, body: String, refreshSeconds: Int? = nil) -> String {
        let refresh = refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? ""
        var nav = ""
        if let session {
            nav = """
                <nav><a class="brand" href="/console/flows">Flowline</a>
                <a href="/console/flows">Flows</a><a href="/console/connections">Connections</a>
                <a href="/console/wizard/new">Create flow</a>
                <form method="post" action="/console/sign-out" class="inline">\(csrf(session))<button type="submit" class="link">Sign out</button></form></nav>
                """
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            \(refresh)<title>\(HTML.escape(title)) · Flowline</title>
            <link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/console/assets/console.css"><script src="/console/assets/console.js" defer></script></head>
            <body>\(nav)<main>\(body)</main></body></html>
            """
    }

    static func csrf(_ session: ConsoleSession) -> String { HTML.hidden("csrf", session.csrfToken) }

    enum ButtonStyle: String { case primary = "", secondary, danger }

    /// A one-button POST form (run, delete, activate): forms, not links, so that each carries the
    /// CSRF token. Destructive actions use `.danger` and answer with a confirmation page first.
    static func postButton(_ action: String, _ label: String, session: ConsoleSession, id: String, style: ButtonStyle = .primary,
                           extra: String = "") -> String {
        let classAttribute = style == .primary ? "" : " class=\"\(style.rawValue)\""
        return "<form method=\"post\" action=\"\(HTML.escape(action))\" class=\"inline\">\(csrf(session))\(extra)<button type=\"submit\" id=\"\(HTML.escape(id))\"\(classAttribute)>\(HTML.escape(label))</button></form>"
    }

    static func generalErrors(_ errors: FieldErrors) -> String {
        errors.general.isEmpty ? "" : "<div class=\"alert\">" + HTML.errorList(errors.general, for: "general") + "</div>"
    }
}
