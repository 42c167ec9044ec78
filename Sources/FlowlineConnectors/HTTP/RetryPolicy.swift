import Foundation

/// How often and how patiently a call is tried again after 429, 5xx, a timeout or a dropped
/// connection. What retrying cannot fix (a name that does not resolve, a refused connection, a
/// TLS certificate error) is never retried: see `ConnectionFailure.isPermanent`.
public struct RetryPolicy: Sendable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    /// Delay before the second try; doubled for each later one, with jitter.
    public var baseDelay: Double
    /// Longest single wait, also the cap on a server's `Retry-After`.
    public var maxDelay: Double
    /// Seconds one call may take in all: every attempt and every wait between attempts. A wait
    /// that would end past the budget is not started; the call fails with what it last saw.
    public var budget: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.2, maxDelay: Double = 30, budget: Double = 60) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.budget = budget
    }

    /// Six tries within 60 seconds per call, or within `FLOWLINE_HTTP_TIMEOUT` seconds.
    public static let standard = RetryPolicy(budget: budgetSetting(ProcessInfo.processInfo.environment))

    /// `FLOWLINE_HTTP_TIMEOUT` when it is a positive number of seconds, else 60.
    public static func budgetSetting(_ environment: [String: String]) -> Double {
        guard let seconds = environment["FLOWLINE_HTTP_TIMEOUT"].flatMap(Double.init), seconds > 0 else { return 60 }
        return seconds
    }

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
