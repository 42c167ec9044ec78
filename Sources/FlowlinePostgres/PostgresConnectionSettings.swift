import Foundation

/// Where and as whom to connect. The password is kept apart from everything printable: it is
/// handed to libpq as its own connection parameter and left out of `description`.
public struct PostgresConnectionSettings: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String?
    /// libpq's `sslmode` (`disable`, `prefer`, `require`, `verify-full`, …); nil leaves libpq's default.
    public var sslMode: String?
    /// The CA certificates a `verify-ca`/`verify-full` connection trusts; nil: libpq's default.
    public var sslRootCert: String?
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

    /// A Redshift connector profile's connection: its `databaseUrl` (which may not carry a
    /// password: that belongs in the profile's sealed credentials), `databaseName` and credentials.
    ///
    /// TLS: a host other than this machine is connected to with `sslmode=verify-full` against the
    /// system's CA certificates, unless the URL's query says otherwise (`?sslmode=require`,
    /// `?sslrootcert=/path/ca.pem`); loopback hosts default to `prefer`.
    public init(profileURL url: String, user: String?, password: String?, database: String?) throws(PostgresError) {
        if Self.carriesPassword(url) {
            throw PostgresError(message: "The database URL carries a password; remove it from databaseUrl and give it as the profile's connectorProfileCredentials Redshift password (sealed, never shown)",
                                operation: "read the database URL")
        }
        try self.init(url: url, user: user, password: password, database: database)
        let query = Self.queryItems(url)
        sslRootCert = query["sslrootcert"]
        if sslMode == nil { sslMode = Self.isLoopback(host) ? "prefer" : "verify-full" }
        if sslRootCert == nil, sslMode == "verify-full" || sslMode == "verify-ca" { sslRootCert = Self.systemCertificates }
    }

    /// Where Debian (and most Linux systems) keep the trusted CA certificates, as one PEM file.
    static var systemCertificates: String {
        ProcessInfo.processInfo.environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "/etc/ssl/certs/ca-certificates.crt"
    }

    /// Whether the URL's user information has a password part (`user:password@`).
    public static func carriesPassword(_ url: String) -> Bool {
        var text = url.trimmingCharacters(in: .whitespaces)
        if text.lowercased().hasPrefix("jdbc:") { text.removeFirst(5) }
        if let components = URLComponents(string: text), components.password != nil { return true }
        // Also the JDBC style `?password=…`.
        return queryItems(url).keys.contains("password")
    }

    static func queryItems(_ url: String) -> [String: String] {
        var text = url.trimmingCharacters(in: .whitespaces)
        if text.lowercased().hasPrefix("jdbc:") { text.removeFirst(5) }
        var items: [String: String] = [:]
        for item in URLComponents(string: text)?.queryItems ?? [] { items[item.name.lowercased()] = item.value ?? "" }
        return items
    }

    /// `localhost`, `127.0.0.0/8`, `::1`, or a Unix socket directory: traffic that never leaves this machine.
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasPrefix("/") || name == "localhost" || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// A password file that can never exist (`/dev/null` is not a directory): libpq then never
    /// reads the server user's `~/.pgpass` for a connection the profile gave no password.
    static let noPasswordFile = "/dev/null/flowline-reads-no-pgpass"

    public var description: String { "\(host):\(port)/\(database) as \(user)" }

    /// libpq keyword/value pairs, password included: for `PQconnectdbParams` only.
    var libpqParameters: [(String, String)] {
        var pairs = [("host", host), ("port", String(port)), ("dbname", database), ("user", user),
                     ("client_encoding", "UTF8"), ("application_name", "flowline"),
                     ("connect_timeout", String(connectTimeoutSeconds)),
                     // NOTICEs ("already exists, skipping") would go to stderr through libpq's default printer.
                     ("options", "-c client_min_messages=warning")]
        pairs.append(("passfile", Self.noPasswordFile))
        if let password { pairs.append(("password", password)) }
        if let sslMode { pairs.append(("sslmode", sslMode)) }
        if let sslRootCert { pairs.append(("sslrootcert", sslRootCert)) }
        return pairs
    }
}
