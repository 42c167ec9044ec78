import Foundation

/// A signed-in browser: its CSRF token and the flow it is building in the wizard.
struct ConsoleSession: Sendable {
    let id: String
    /// Sent back in a hidden field of every form; a POST without it is refused.
    let csrfToken: String
    /// False for the session a sign-in form is served in (it only carries that form's CSRF token).
    let signedIn: Bool
    var lastSeen: Date
    var draft: FlowDraft?
}

/// Console sessions, in memory: a restart signs everyone out, which is acceptable for a local console.
///
/// Only signed-in browsers have a session (the sign-in form carries a signed token instead, see
/// `SignInForms`), so anonymous page loads add nothing here. The table is capped: when full, the
/// session seen least recently gives way.
final class ConsoleSessions: @unchecked Sendable {
    // @unchecked: `sessions` is only touched while `lock` is held.
    static let idleLimit: TimeInterval = 12 * 3600
    static let cookieName = "flowline_console"
    /// More signed-in browsers than one operator's team would have at once.
    static let maxSessions = 1000

    private let lock = NSLock()
    private var sessions: [String: ConsoleSession] = [:]

    func create(signedIn: Bool) -> ConsoleSession {
        let session = ConsoleSession(id: Self.randomToken(), csrfToken: Self.randomToken(), signedIn: signedIn,
                                     lastSeen: Date(), draft: nil)
        lock.withLock {
            let now = Date()
            sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) < Self.idleLimit }
            if sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
                sessions[oldest.key] = nil
            }
            sessions[session.id] = session
        }
        return session
    }

    /// How many sessions are kept (for `/metrics`).
    var count: Int { lock.withLock { sessions.count } }

    /// The live session a cookie names, touched; nil when unknown or idle too long.
    func session(_ id: String?) -> ConsoleSession? {
        guard let id else { return nil }
        return lock.withLock {
            guard var session = sessions[id] else { return nil }
            guard Date().timeIntervalSince(session.lastSeen) < Self.idleLimit else {
                sessions[id] = nil
                return nil
            }
            session.lastSeen = Date()
            sessions[id] = session
            return session
        }
    }

    func update(_ id: String, _ change: (inout ConsoleSession) -> Void) {
        lock.withLock {
            if var session = sessions[id] {
                change(&session)
                sessions[id] = session
            }
        }
    }

    func remove(_ id: String) {
        lock.withLock { sessions[id] = nil }
    }

    /// HttpOnly keeps scripts from reading it; SameSite=Strict keeps other sites' forms from
    /// sending it; Secure (under TLS) keeps it off plain HTTP.
    static func cookie(_ value: String, secure: Bool) -> String {
        "\(cookieName)=\(value); Path=/console; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func expiredCookie(secure: Bool) -> String {
        cookie("", secure: secure) + "; Max-Age=0"
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Compares in time independent of where the strings differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<min(x.count, y.count) { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
