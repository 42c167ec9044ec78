import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why a request got no HTTP answer, told apart by the error's type (never by its wording),
/// and whether trying again could help.
public enum ConnectionFailure: Sendable, Equatable, CustomStringConvertible {
    /// The host name does not resolve.
    case unknownHost(String)
    /// Nothing accepts connections at the host and port.
    case refused(host: String, port: Int)
    /// No route to the host or its network.
    case noRoute(host: String)
    /// The TLS handshake failed: an untrusted or mismatched certificate, or no common protocol.
    case tls(host: String, detail: String)
    /// Connecting, the TLS handshake, or the answer took too long.
    case timedOut(String)
    /// The server closed or reset the connection before answering.
    case dropped
    /// The request cannot be sent as it is (a malformed URL, an unsupported scheme, a body too large).
    case unusable(String)
    /// Anything else the client reports.
    case other(String)

    /// DNS, refused connections, missing routes, TLS and unusable requests do not get better
    /// within one call's budget: the call ends at once instead of retrying.
    public var isPermanent: Bool {
        switch self {
        case .unknownHost, .refused, .noRoute, .tls, .unusable: return true
        case .timedOut, .dropped, .other: return false
        }
    }

    public var description: String {
        switch self {
        case .unknownHost(let host): return "the host name \(host) does not resolve (DNS lookup failed)"
        case .refused(let host, let port): return "connection refused by \(host) port \(port) (nothing accepts connections there)"
        case .noRoute(let host): return "no network route to \(host)"
        case .tls(let host, let detail): return "the TLS handshake with \(host) failed (\(detail))"
        case .timedOut(let what): return what
        case .dropped: return "the server closed the connection before answering"
        case .unusable(let why): return why
        case .other(let text): return text
        }
    }

    /// Classifies an error from `HTTPClient.execute` or reading the body, for a request to `url`.
    public init(_ error: any Error, url: String) {
        let target = URLComponents(string: url)
        let host = target?.host ?? url
        let port = target?.port ?? (target?.scheme == "https" ? 443 : 80)
        if let e = error as? NIOConnectionError {
            self = Self.connection(e, host: host, port: port)
        } else if error is SocketAddressError.UnknownHost {
            self = .unknownHost(host)
        } else if let e = error as? IOError {
            self = Self.socket(e.errnoCode, host: host, port: port) ?? .other("\(e)")
        } else if let e = error as? NIOSSLError {
            self = .tls(host: host, detail: Self.tlsDetail(e))
        } else if let e = error as? NIOSSLExtraError {
            self = .tls(host: host, detail: "\(e)")
        } else if let e = error as? HTTPClientError {
            self = Self.client(e)
        } else if let e = error as? ChannelError, case .connectTimeout = e {
            self = .timedOut("connecting to \(host) timed out")
        } else if error is NIOTooManyBytesError {
            self = .unusable("the answer is larger than Flowline reads into memory")
        } else {
            self = .other("\(error)")
        }
    }

    private static func connection(_ e: NIOConnectionError, host: String, port: Int) -> ConnectionFailure {
        if e.connectionErrors.isEmpty, e.dnsAError != nil || e.dnsAAAAError != nil { return .unknownHost(host) }
        // Every address the name resolved to failed; the first failure speaks for all.
        for failure in e.connectionErrors {
            if let io = failure.error as? IOError, let known = socket(io.errnoCode, host: host, port: port) { return known }
            if let channel = failure.error as? ChannelError, case .connectTimeout = channel {
                return .timedOut("connecting to \(host) timed out")
            }
        }
        if e.connectionErrors.isEmpty { return .unknownHost(host) }
        return .other("cannot connect to \(host) port \(port): \(e)")
    }

    private static func socket(_ code: CInt, host: String, port: Int) -> ConnectionFailure? {
        switch code {
        case ECONNREFUSED: return .refused(host: host, port: port)
        case EHOSTUNREACH, ENETUNREACH: return .noRoute(host: host)
        case ECONNRESET, EPIPE: return .dropped
        case ETIMEDOUT: return .timedOut("connecting to \(host) timed out")
        default: return nil
        }
    }

    /// BoringSSL's reasons (`CERTIFICATE_VERIFY_FAILED`), without its error numbers and source paths.
    private static func tlsDetail(_ error: NIOSSLError) -> String {
        guard case .handshakeFailed(.sslError(let errors)) = error, !errors.isEmpty else { return "\(error)" }
        let reasons = errors.map { e -> String in
            var text = e.description
            if let at = text.range(of: " at /") { text = String(text[..<at.lowerBound]) }
            return text.split(separator: ":").last.map(String.init) ?? text
        }
        var detail = reasons.joined(separator: ", ")
        if reasons.contains("CERTIFICATE_VERIFY_FAILED") { detail += ": the server's certificate is not trusted" }
        return detail
    }

    private static func client(_ e: HTTPClientError) -> ConnectionFailure {
        switch e {
        case .connectTimeout: return .timedOut("the connection timed out")
        case .tlsHandshakeTimeout: return .timedOut("the TLS handshake timed out")
        case .readTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout: return .timedOut("the request timed out")
        case .remoteConnectionClosed: return .dropped
        case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath, .redirectLimitReached, .redirectCycleDetected:
            return .unusable("\(e)")
        default:
            return .other("\(e)")
        }
    }
}
