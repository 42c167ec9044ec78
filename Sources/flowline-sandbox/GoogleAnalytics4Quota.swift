import Foundation
import Hummingbird

/// GA4 Data API property quotas, as https://developers.google.com/analytics/devguides/reporting/data/v1/quotas
/// describes them: every Core request (runReport, getMetadata) is checked against the property's
/// buckets and refused with `429 RESOURCE_EXHAUSTED` once one is exhausted; a request's token
/// cost is deducted from the daily, hourly and per-project-hourly buckets; hourly buckets refresh
/// each hour and daily ones at midnight Pacific time, on Google's clock; concurrent requests are
/// those in flight; server errors (500/503) are charged per hour. `propertyQuota` reports, per
/// bucket, what this request `consumed` and what `remaining` after it (zero fields omitted, as
/// protobuf JSON omits them).
///
/// Google does not publish its token formula ("Most requests consume fewer than 10 tokens"; more
/// rows, columns, filters and longer ranges cost more). The sandbox charges
/// `1 + rows returned / 2,000 + days in the ranges / 90 + 1 with a filter`; getMetadata costs 1.
enum GA4Quota {
    static let pacific = TimeZone(identifier: "America/Los_Angeles")!

    static func roll(_ u: inout GoogleAnalyticsState.QuotaUse, now: Int64) {
        let hour = now / 3_600_000
        if u.hour != hour { u.hour = hour; u.hourTokens = 0; u.serverErrors = 0 }
        let day = GoogleTime.localDay(now, pacific)
        if u.day != day { u.day = day; u.dayTokens = 0 }
    }

    /// Counts the request in flight, or answers 429 when a bucket is exhausted.
    static func admit(_ google: GoogleAnalyticsState, property: String) -> Response? {
        let now = google.now()
        let message: String? = google.with { d in
            var u = d.quotaUse[property] ?? .init()
            roll(&u, now: now)
            let l = d.quotaLimits
            let more = " To learn more, see https://developers.google.com/analytics/devguides/reporting/data/v1/quotas"
            var message: String?
            if u.dayTokens >= l.tokensPerDay {
                message = "Exhausted property tokens per day for a property. These quota tokens will return in under 24 hours." + more
            } else if u.hourTokens >= l.tokensPerHour {
                message = "Exhausted property tokens per hour for a property. These quota tokens will return in under an hour." + more
            } else if u.hourTokens >= l.tokensPerProjectPerHour {
                message = "Exhausted property tokens per hour for a project per property. These quota tokens will return in under an hour." + more
            } else if u.serverErrors >= l.serverErrorsPerProjectPerHour {
                message = "Exhausted server errors per project per hour for a property. These quota tokens will return in under an hour." + more
            } else if u.inFlight >= l.concurrentRequests {
                message = "Exhausted concurrent requests quota. Wait for your requests in flight to finish." + more
            } else {
                u.inFlight += 1
            }
            d.quotaUse[property] = u
            return message
        }
        return message.map { GoogleAPI.error(429, "RESOURCE_EXHAUSTED", $0) }
    }

    /// Ends an admitted request, charges `cost` tokens, and returns the `propertyQuota` object.
    @discardableResult
    static func finish(_ google: GoogleAnalyticsState, property: String, cost: Int) -> [String: Any] {
        let now = google.now()
        return google.with { d in
            var u = d.quotaUse[property] ?? .init()
            roll(&u, now: now)
            u.inFlight = max(0, u.inFlight - 1)
            u.hourTokens += cost
            u.dayTokens += cost
            d.quotaUse[property] = u
            let l = d.quotaLimits
            return [
                "tokensPerDay": status(cost, l.tokensPerDay - u.dayTokens),
                "tokensPerHour": status(cost, l.tokensPerHour - u.hourTokens),
                "concurrentRequests": status(0, l.concurrentRequests - u.inFlight),
                "serverErrorsPerProjectPerHour": status(0, l.serverErrorsPerProjectPerHour - u.serverErrors),
                "potentiallyThresholdedRequestsPerHour": status(0, l.potentiallyThresholdedRequestsPerHour),
                "tokensPerProjectPerHour": status(cost, l.tokensPerProjectPerHour - u.hourTokens),
            ]
        }
    }

    static func countServerError(_ google: GoogleAnalyticsState, property: String) {
        let now = google.now()
        google.with { d in
            var u = d.quotaUse[property] ?? .init()
            roll(&u, now: now)
            u.serverErrors += 1
            d.quotaUse[property] = u
        }
    }

    /// `QuotaStatus`: zero fields are left out, as protobuf JSON does.
    static func status(_ consumed: Int, _ remaining: Int) -> [String: Any] {
        var s: [String: Any] = [:]
        if consumed > 0 { s["consumed"] = consumed }
        if remaining > 0 { s["remaining"] = remaining }
        return s
    }
}
