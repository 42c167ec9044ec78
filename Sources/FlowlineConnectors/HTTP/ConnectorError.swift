/// What can go wrong talking to a SaaS application, worded for the person running the flow.
/// Descriptions name the service, the URL without its query, and the service's own error code
/// and message; never a token, password or key.
public enum ConnectorError: Error, CustomStringConvertible, Sendable {
    /// The service refused the credentials (and renewing them, where possible, did not help).
    case authentication(service: String, detail: String)
    /// No connection could be made, or it kept dropping.
    case unreachable(service: String, url: String, reason: String)
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
        case .unreachable(let s, let url, let reason): return "Cannot reach \(s) at \(url): \(reason)"
        case .api(let s, let status, let code, let message): return "\(s) error \(code) (HTTP \(status)): \(message)"
        case .exhaustedRetries(let s, let url, let status, let n):
            return "\(s) at \(url) still answered HTTP \(status) after \(n) attempts"
        case .malformed(let s, let d): return "\(s) sent an unexpected response: \(d)"
        case .configuration(let s, let d): return "\(s): \(d)"
        }
    }

    public var isAuthentication: Bool {
        if case .authentication = self { return true }
        return false
    }
}
