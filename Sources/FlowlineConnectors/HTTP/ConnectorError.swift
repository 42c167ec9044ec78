/// What can go wrong talking to a SaaS application, worded for the person running the flow.
/// Descriptions name the service, the URL without its query, and the service's own error code
/// and message; never a token, password or key.
public enum ConnectorError: Error, CustomStringConvertible, Sendable {
    /// The service refused the credentials (and renewing them, where possible, did not help).
    case authentication(service: String, detail: String)
    /// No answer came: at once for what retrying cannot fix (DNS, refused, TLS), else after the
    /// call's retries or budget ran out.
    case unreachable(service: String, url: String, failure: ConnectionFailure, attempts: Int)
    /// The service answered with an error of its own.
    case api(service: String, status: Int, code: String, message: String)
    /// The service kept answering 429 or 5xx through every retry.
    case exhaustedRetries(service: String, url: String, status: Int, attempts: Int)
    /// An answer that is not what the documented API returns.
    case malformed(service: String, detail: String)
    /// A setting of the flow or profile that cannot work.
    case configuration(service: String, detail: String)

    public var description: String {
        switch self {
        case .authentication(let s, let d): return "\(s) refused the connector profile's credentials: \(d)"
        case .unreachable(let s, let url, let failure, let attempts):
            return "Cannot reach \(s) at \(url): \(failure)" + (attempts > 1 ? " (\(attempts) attempts)" : "")
        case .api(let s, let status, let code, let message): return "\(s) error \(code) (HTTP \(status)): \(message)"
        case .exhaustedRetries(let s, let url, let status, let n):
            return "\(s) at \(url) still answered HTTP \(status) after \(n) attempt\(n == 1 ? "" : "s")"
        case .malformed(let s, let d): return "\(s) sent an unexpected response: \(d)"
        case .configuration(let s, let d): return "\(s): \(d)"
        }
    }

    public var isAuthentication: Bool {
        if case .authentication = self { return true }
        return false
    }
}
