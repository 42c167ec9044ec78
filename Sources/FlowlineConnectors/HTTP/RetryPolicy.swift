import Foundation

/// How often and how patiently a request is tried again after 429, 5xx or a dropped connection.
public struct RetryPolicy: Sendable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    /// Delay before the second try; doubled for each later one, with jitter.
    public var baseDelay: Double
    /// Longest single wait, also the cap on a server's `Retry-After`.
    public var maxDelay: Double
    /// Per-request deadline, seconds.
    public var timeout: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.2, maxDelay: Double = 30, timeout: Double = 60) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// Six tries; a 60-second deadline per request, or `FLOWLINE_HTTP_TIMEOUT` seconds.
    public static let standard = RetryPolicy(
        timeout: ProcessInfo.processInfo.environment["FLOWLINE_HTTP_TIMEOUT"].flatMap(Double.init) ?? 60)

    /// Whether a reply with this status is worth another try.
    public func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) && status != 501 }

    /// Seconds to wait before try number `attempt + 1` (attempt counts from 1): the server's
    /// `Retry-After` when given (seconds or an HTTP date), else exponential backoff with full jitter.
    public func delay(afterAttempt attempt: Int, retryAfter: String?) -> Double {
        if let retryAfter, let seconds = Self.seconds(retryAfter) { return min(max(seconds, 0), maxDelay) }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return Double.random(in: (ceiling / 2)...ceiling)
    }

    static func seconds(_ header: String) -> Double? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let n = Double(text) { return n }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text).map { $0.timeIntervalSinceNow }
    }
}
