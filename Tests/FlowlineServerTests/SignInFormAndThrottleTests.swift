import Foundation
import Testing
@testable import FlowlineServer

/// The console's sign-in form tokens (signed, not stored, valid for minutes) and the sign-in
/// throttle, with the clock given explicitly.
@Suite struct SignInFormAndThrottleTests {
    @Test func aSignInFormExpiresWithinMinutesAndBelongsToItsCookie() {
        let forms = SignInForms()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let form = forms.issue(now: start)
        #expect(forms.accepts(token: form.token, cookie: form.cookie, now: start.addingTimeInterval(9 * 60)))
        #expect(!forms.accepts(token: form.token, cookie: form.cookie, now: start.addingTimeInterval(11 * 60)))
        #expect(!forms.accepts(token: form.token, cookie: forms.issue(now: start).cookie, now: start))
        #expect(!forms.accepts(token: form.token, cookie: nil, now: start))
        // Another process's key (a restart) does not accept it either.
        #expect(!SignInForms().accepts(token: form.token, cookie: form.cookie, now: start))
        // A token whose expiry was pushed forward no longer matches its signature.
        let forged = String(form.token.prefix(64)) + "ffffffffffffffff" + String(form.token.suffix(64))
        #expect(!forms.accepts(token: forged, cookie: form.cookie, now: start))
    }

    @Test func failuresAreLimitedPerClientAndRefillOverTime() {
        let throttle = SignInThrottle()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 0..<10 {
            #expect(throttle.retryAfter(client: "10.0.0.1", now: start) == nil)
            throttle.recordFailure(client: "10.0.0.1", now: start)
        }
        #expect(throttle.retryAfter(client: "10.0.0.1", now: start) == 6)
        // Another client is not held back by the first one's guesses.
        #expect(throttle.retryAfter(client: "10.0.0.2", now: start) == nil)
        // One more attempt is allowed once a refill period has passed.
        #expect(throttle.retryAfter(client: "10.0.0.1", now: start.addingTimeInterval(6)) == nil)
    }

    @Test func failuresAreLimitedForAllClientsTogether() {
        let throttle = SignInThrottle()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for n in 0..<100 { throttle.recordFailure(client: "10.1.\(n / 250).\(n % 250)", now: start) }
        #expect(throttle.retryAfter(client: "10.9.9.9", now: start) != nil)
    }
}
