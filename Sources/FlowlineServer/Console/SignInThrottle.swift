import Foundation

/// Limits how fast the console's sign-in can be guessed at: each client address, and all clients
/// together, have a bucket of failed attempts that refills at a steady rate. Only failures spend
/// from it; while a bucket is empty every attempt (even with the right key) is answered 429 with
/// the seconds to wait.
final class SignInThrottle: @unchecked Sendable {
    // @unchecked: `clients` and `global` are only touched while `lock` is held.
    struct Limit: Sendable {
        /// Failures allowed in a burst.
        var burst: Double
        /// Seconds for one more failure to be allowed again.
        var refillSeconds: Double
    }

    /// Ten guesses, then one every six seconds, per client; ten times that for everyone together.
    static let perClient = Limit(burst: 10, refillSeconds: 6)
    static let allClients = Limit(burst: 100, refillSeconds: 0.6)
    /// Client buckets kept; full ones are forgotten first (they hold nothing).
    static let maxClients = 10_000

    private struct Bucket {
        var tokens: Double
        var updated: Date

        mutating func refill(_ limit: Limit, now: Date) {
            tokens = min(limit.burst, tokens + now.timeIntervalSince(updated) / limit.refillSeconds)
            updated = now
        }

        func wait(_ limit: Limit) -> Int {
            tokens >= 1 ? 0 : Int(((1 - tokens) * limit.refillSeconds).rounded(.up))
        }
    }

    private let lock = NSLock()
    private var clients: [String: Bucket] = [:]
    private var global = Bucket(tokens: SignInThrottle.allClients.burst, updated: Date())

    /// Seconds `client` must wait before its next attempt; nil when it may try now.
    func retryAfter(client: String, now: Date = Date()) -> Int? {
        lock.withLock {
            global.refill(Self.allClients, now: now)
            var bucket = clients[client] ?? Bucket(tokens: Self.perClient.burst, updated: now)
            bucket.refill(Self.perClient, now: now)
            if clients[client] != nil { clients[client] = bucket }
            let wait = max(bucket.wait(Self.perClient), global.wait(Self.allClients))
            return wait > 0 ? wait : nil
        }
    }

    /// Spends one attempt of `client` and of everyone.
    func recordFailure(client: String, now: Date = Date()) {
        lock.withLock {
            global.refill(Self.allClients, now: now)
            global.tokens -= 1
            var bucket = clients[client] ?? Bucket(tokens: Self.perClient.burst, updated: now)
            bucket.refill(Self.perClient, now: now)
            bucket.tokens -= 1
            if clients[client] == nil, clients.count >= Self.maxClients {
                for (key, var other) in clients {
                    other.refill(Self.perClient, now: now)
                    if other.tokens >= Self.perClient.burst { clients[key] = nil }
                }
            }
            if clients[client] != nil || clients.count < Self.maxClients { clients[client] = bucket }
        }
    }
}
