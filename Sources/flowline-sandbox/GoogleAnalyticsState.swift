import Foundation
import Synchronization

/// What the Google Analytics emulators (Universal Analytics and GA4) remember beyond the shared
/// sandbox state: Google's clock (real, or pinned by a test), when each issued access token
/// expires, hits that arrive late, GA4 events per property (generated on first use), and GA4
/// quota use. One lock; handlers hold it only to read or update.
final class GoogleAnalyticsState: Sendable {
    /// Google's documented standard-property limits for Core requests
    /// (https://developers.google.com/analytics/devguides/reporting/data/v1/quotas).
    struct QuotaLimits: Sendable {
        var tokensPerDay = 200_000
        var tokensPerHour = 40_000
        var tokensPerProjectPerHour = 14_000
        var concurrentRequests = 10
        var serverErrorsPerProjectPerHour = 10
        var potentiallyThresholdedRequestsPerHour = 120
    }

    /// One property's use in the current hour and Pacific day (the sandbox is one Cloud project,
    /// so per-project-per-property use is the property's hourly use).
    struct QuotaUse: Sendable {
        var hour: Int64 = .min
        var hourTokens = 0
        var serverErrors = 0
        var day: Int64 = .min
        var dayTokens = 0
        var inFlight = 0
    }

    /// A Universal Analytics hit (a row of the `analytics` table) that arrives at `arrival`.
    struct LateHit: Sendable {
        var row: [SandboxValue]
        var arrival: Int64
    }

    struct Data: Sendable {
        /// Milliseconds; nil follows the wall clock.
        var pinnedNow: Int64?
        /// Access token → expiry (ms on Google's clock), for tokens issued by `POST /token`.
        var tokenExpiry: [String: Int64] = [:]
        var uaLateHits: [LateHit] = []
        /// Property id → events generated on first use, then late events appended.
        var ga4Events: [String: [GA4Event]] = [:]
        var ga4LateCount = 0
        var quotaLimits = QuotaLimits()
        var quotaUse: [String: QuotaUse] = [:]
    }

    let state: Mutex<Data>
    let generator: SandboxGenerator
    /// Universal Analytics views listed (the first is `SandboxGenerator.gaViewId`; see `UAView.catalog`).
    let uaViews: [UAView]
    /// GA4 properties listed (see `GA4Property.catalog`).
    let ga4Properties: [GA4Property]

    init(generator: SandboxGenerator, uaViewCount: Int, ga4PropertyCount: Int) {
        state = Mutex(Data())
        self.generator = generator
        uaViews = UAView.catalog(count: uaViewCount)
        ga4Properties = GA4Property.catalog(count: ga4PropertyCount)
    }

    func with<T>(_ body: (inout Data) throws -> T) rethrows -> T {
        try state.withLock { try body(&$0) }
    }

    /// Google's "now" in milliseconds: pinned by `POST /_sandbox/ga4?now=…`, else the wall clock.
    func now() -> Int64 {
        with { $0.pinnedNow } ?? Int64(Date().timeIntervalSince1970 * 1000)
    }

    /// Access tokens live 3,599 seconds on Google's clock, as `expires_in` says.
    static let tokenLifetime: Int64 = 3_599_000

    func issued(_ token: String) {
        let expiry = now() + Self.tokenLifetime
        with { $0.tokenExpiry[token] = expiry }
    }

    /// Whether a token `POST /token` issued has outlived its lifetime (tokens given on the command line never expire).
    func expired(_ token: String) -> Bool {
        let t = now()
        return with { d in d.tokenExpiry[token].map { $0 <= t } ?? false }
    }

    /// A GA4 property's events: generated from the seed on first use, plus late ones.
    func events(_ property: GA4Property) -> [GA4Event] {
        if let cached = with({ $0.ga4Events[property.id] }) { return cached }
        let generated = generator.ga4Events(property)
        return with { d in
            if let cached = d.ga4Events[property.id] { return cached }
            d.ga4Events[property.id] = generated
            return generated
        }
    }
}

/// Time zones as Google Analytics applies them: a view's or property's local civil time.
enum GoogleTime {
    /// Milliseconds of local civil time (as if UTC) for an instant in `zone`.
    static func local(_ millis: Int64, _ zone: TimeZone) -> Int64 {
        millis + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))) * 1000
    }

    /// Days since the epoch of an instant's local date in `zone`.
    static func localDay(_ millis: Int64, _ zone: TimeZone) -> Int64 {
        let l = local(millis, zone)
        return l >= 0 ? l / 86_400_000 : (l - 86_399_999) / 86_400_000
    }

    /// The first instant of a local day in `zone` (found by correcting the offset twice, for days
    /// that start near a daylight-saving change).
    static func startOfDay(_ day: Int64, _ zone: TimeZone) -> Int64 {
        var t = day * 86_400_000
        for _ in 0..<2 { t = day * 86_400_000 - (local(t, zone) - t) }
        return t
    }

    /// `yyyyMMddHHmm` of an instant's local time in `zone`.
    static func digits(_ millis: Int64, _ zone: TimeZone) -> String {
        let l = local(millis, zone)
        let days = l >= 0 ? l / 86_400_000 : (l - 86_399_999) / 86_400_000
        let (y, m, d) = SandboxFormat.civil(days)
        let minutes = (l - days * 86_400_000) / 60_000
        return String(format: "%04d%02d%02d%02d%02d", y, m, d, minutes / 60, minutes % 60)
    }

    /// Days since the epoch of `YYYY-MM-DD`, `today`, `yesterday` or `NdaysAgo`, the keywords
    /// taken in `zone` at Google's `now`.
    static func day(_ text: String, now: Int64, zone: TimeZone) -> Int64? {
        let today = localDay(now, zone)
        if text == "today" { return today }
        if text == "yesterday" { return today - 1 }
        if text.hasSuffix("daysAgo"), let n = Int64(text.dropLast(7)), n >= 0 { return today - n }
        guard text.utf8.count == 10 else { return nil }
        return SandboxFormat.parseISO(text).map { $0 / 86_400_000 }
    }
}
