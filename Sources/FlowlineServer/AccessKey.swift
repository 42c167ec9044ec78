import Foundation
import FlowlineStore

/// The access key the server accepts SigV4 signatures from. Its description never shows the secret.
public struct AccessKey: Sendable, CustomStringConvertible {
    public let id: String
    let secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    public var description: String { "AccessKey(\(id), secret hidden)" }

    /// `FLOWLINE_ACCESS_KEY_ID` and `FLOWLINE_SECRET_ACCESS_KEY`, else the `credentials` file in
    /// the Flowline home (`aws_access_key_id = …` / `aws_secret_access_key = …` lines, as in
    /// `~/.aws/credentials`); nil when neither is set.
    public static func load(environment: [String: String], home: URL) throws(ServerSetupError) -> AccessKey? {
        if let id = environment["FLOWLINE_ACCESS_KEY_ID"], let secret = environment["FLOWLINE_SECRET_ACCESS_KEY"],
           !id.isEmpty, !secret.isEmpty {
            return AccessKey(id: id, secret: secret)
        }
        let file = home.appendingPathComponent("credentials")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        // Refused like master.key: a secret others can read is no longer the owner's alone.
        switch PrivateFiles.ownerOnlyProblem(file.path) {
        case nil: break
        case .notARegularFile?: throw .unreadableCredentials(path: file.path)
        case .notPrivate(let mode)?: throw .credentialsTooOpen(path: file.path, mode: mode)
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw .unreadableCredentials(path: file.path)
        }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { values[parts[0].lowercased()] = parts[1] }
        }
        guard let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"], !id.isEmpty, !secret.isEmpty else {
            throw .unreadableCredentials(path: file.path)
        }
        return AccessKey(id: id, secret: secret)
    }
}

/// Why the server cannot start; never contains a secret.
public enum ServerSetupError: Error, CustomStringConvertible {
    case unreadableCredentials(path: String)
    case noAccessKey
    case credentialsTooOpen(path: String, mode: UInt32)
    case insecureBind(host: String)
    case tls(path: String, reason: String)
    case service(String)

    public var description: String {
        switch self {
        case .unreadableCredentials(let path):
            return "\(path) must hold aws_access_key_id and aws_secret_access_key lines"
        case .noAccessKey:
            return "no access key configured: set FLOWLINE_ACCESS_KEY_ID and FLOWLINE_SECRET_ACCESS_KEY, "
                + "write them to the credentials file in the Flowline home, or pass --no-auth for local development"
        case .credentialsTooOpen(let path, let mode):
            return "\(path) has permissions \(String(mode, radix: 8)) (or another owner); it holds the server's secret key "
                + "and must be readable by its owner only: chmod 600 \(path)"
        case .insecureBind(let host):
            return "refusing to serve plain HTTP on \(host), which is not a loopback address: request bodies carry "
                + "connector credentials. Give --tls-cert and --tls-key, or --insecure-http if something else encrypts the traffic"
        case .tls(let path, let reason):
            return "cannot serve TLS with \(path): \(reason)"
        case .service(let message):
            return message
        }
    }
}
