/// A failed PostgreSQL operation: what was being done, PostgreSQL's SQLSTATE and message, and
/// where in the data it happened when the server said so.
///
/// Never holds a password: connection errors come from libpq's message, which names the user
/// and host but not the password, and `PostgresConnection` removes the password from any
/// message anyway. SQL text only ever holds placeholders and quoted identifiers.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The five-character SQLSTATE (e.g. `22P02` invalid text representation, `28P01` bad
    /// password); nil when the failure happened on the client side (no server answer).
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// PostgreSQL's CONTEXT field, e.g. `COPY orders, line 3, column amount: "abc"`.
    public var context: String?
    /// What Flowline was doing: "connect to 127.0.0.1:5432/dev as loader", "COPY public.orders", ….
    public var operation: String

    public init(sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
                context: String? = nil, operation: String) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.context = context
        self.operation = operation
    }

    /// The server refused the user name or password (SQLSTATE class 28).
    public var isAuthenticationFailure: Bool {
        sqlState?.hasPrefix("28") == true || message.contains("password authentication failed")
            || message.contains("no password supplied")
    }

    public var description: String {
        var text = "PostgreSQL error"
        if let sqlState { text += " \(sqlState)" }
        text += " during \(operation): \(message)"
        if let detail { text += " (\(detail))" }
        if let context { text += " [\(context)]" }
        return text
    }
}
