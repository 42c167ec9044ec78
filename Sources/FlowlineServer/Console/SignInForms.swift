import Crypto
import Foundation

/// The sign-in form's CSRF protection without server state: the form carries a token signed
/// with a key that lives only in this process, binding a random nonce (also set as the form's
/// cookie) to an expiry. Loading the page stores nothing, so anonymous loads cannot fill memory,
/// and a form left open longer than `lifetime` must be loaded again.
struct SignInForms: Sendable {
    /// How long a sign-in form may be used.
    static let lifetime: TimeInterval = 10 * 60

    /// The signing key's bytes (SymmetricKey itself is not Sendable); made at start, never stored.
    private let key: [UInt8]

    init() {
        key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// A new form: the value for the cookie and the token for its hidden field (hex, like the
    /// session tokens).
    func issue(now: Date = Date()) -> (cookie: String, token: String) {
        let nonce = ConsoleSessions.randomToken()
        let expiry = String(UInt64(now.addingTimeInterval(Self.lifetime).timeIntervalSince1970), radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - expiry.count)) + expiry
        return (nonce, nonce + padded + signature(nonce + padded))
    }

    /// Whether `token` was issued by this process for the form whose cookie is `cookie`, and is
    /// not expired.
    func accepts(token: String, cookie: String?, now: Date = Date()) -> Bool {
        guard let cookie, token.utf8.count == 64 + 16 + 64 else { return false }
        let nonce = String(token.prefix(64)), expiry = String(token.dropFirst(64).prefix(16))
        guard ConsoleSessions.constantTimeEqual(nonce, cookie),
              ConsoleSessions.constantTimeEqual(String(token.suffix(64)), signature(nonce + expiry)),
              let seconds = UInt64(expiry, radix: 16) else { return false }
        return Double(seconds) >= now.timeIntervalSince1970
    }

    private func signature(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }
}
