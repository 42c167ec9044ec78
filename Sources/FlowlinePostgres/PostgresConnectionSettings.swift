import Foundation

/// Where and as whom to connect. The password is kept apart from everything printable: it is
/// handed to libpq as its own connection parameter and left out of `description`.
public struct PostgresConnectionSettings: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String?
    /// libpq's `sslmode` (`disable`, `prefer`, `require`, …); nil leaves libpq's default.
    public var sslMode: String?
    public var connectTimeoutSeconds: Int

    public init(host: String, port: Int = 5432, database: String, user: String, password: String?,
                sslMode: String? = nil, connectTimeoutSeconds: Int = 10) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.sslMode = sslMode
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// Reads `postgresql://[user[:password]@]host[:port]/db[?sslmode=…]` or Redshift's JDBC form
    /// `jdbc:redshift://host:port/db`. `user`/`password` (a profile's credentials) win over the
    /// URL's; `database` (a profile's `databaseName`) wins over the URL's path.
    public init(url: String, user: String? = nil, password: String? = nil, database: String? = nil) throws(PostgresError) {
        var text = url.trimmingCharacters(in: .whitespaces)
        if text.lowercased().hasPrefix("jdbc:") { text.removeFirst(5) }
        // Report problems without echoing the URL: it may carry a password.
        func bad(_ why: String) -> PostgresError {
            PostgresError(message: "The database URL is not usable: \(why); expected postgresql://host:port/database or jdbc:redshift://host:port/database",
                          operation: "read the database URL")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw bad("it is not a URL")
        }
        guard ["postgresql", "postgres", "redshift"].contains(scheme) else { throw bad("scheme \(scheme) is not supported") }
        guard let host = components.host, !host.isEmpty else { throw bad("it names no host") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let db = database ?? (path.isEmpty ? nil : path.removingPercentEncoding ?? path)
        guard let db, !db.isEmpty else { throw bad("it names no database and the profile has no databaseName") }
        let user = user ?? components.user?.removingPercentEncoding
        guard let user, !user.isEmpty else { throw bad("no user name is given (set the profile's credentials username)") }
        let sslMode = components.queryItems?.first { $0.name.lowercased() == "sslmode" }?.value
        self.init(host: host, port: components.port ?? (scheme == "redshift" ? 5439 : 5432), database: db, user: user,
                  password: password ?? components.password?.removingPercentEncoding, sslMode: sslMode)
    }

    public var description: String { "\(host):\(port)/\(database) as \(user)" }

    /// libpq keyword/value pairs, password included: for `PQconnectdbParams` only.
    var libpqParameters: [(String, String)] {
        var pairs = [("host", host), ("port", String(port)), ("dbname", database), ("user", user),
                     ("client_encoding", "UTF8"), ("application_name", "flowline"),
                     ("connect_timeout", String(connectTimeoutSeconds)),
                     // NOTICEs ("already exists, skipping") would go to stderr through libpq's default printer.
                     ("options", "-c client_min_messages=warning")]
        if let password { pairs.append(("password", password)) }
        if let sslMode { pairs.append(("sslmode", sslMode)) }
        return pairs
    }
}
