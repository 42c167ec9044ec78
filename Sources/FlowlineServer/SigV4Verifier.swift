import Crypto
import Foundation

/// Checks AWS Signature Version 4 on a request, as botocore computes it for service `appflow`.
///
/// A value type over the request's parts so it is tested without a server. The canonical URI is
/// the path as sent, percent-encoded once more (botocore does so for every service but S3).
public struct SigV4Verifier: Sendable {
    /// AWS refuses a request whose `X-Amz-Date` is further than this from its clock.
    public static let maxClockSkew: TimeInterval = 15 * 60

    public let key: AccessKey
    public let service: String

    public init(key: AccessKey, service: String = "appflow") {
        self.key = key
        self.service = service
    }

    public struct Request: Sendable {
        public var method: String
        /// The path as received, still percent-encoded.
        public var rawPath: String
        public var rawQuery: String?
        /// Header names lower-cased; repeated headers joined with ",".
        public var headers: [String: String]
        public var body: [UInt8]

        public init(method: String, rawPath: String, rawQuery: String?, headers: [String: String], body: [UInt8]) {
            self.method = method
            self.rawPath = rawPath
            self.rawQuery = rawQuery
            self.headers = headers
            self.body = body
        }
    }

    /// An authentication failure as AWS reports it: HTTP 403 and an error type boto3 knows.
    public struct Failure: Error, Sendable, Equatable {
        public let type: String
        public let message: String
        public var status: Int { 403 }
    }

    /// What the `Authorization` header says, checked as far as it can be without the body.
    public struct Authorization: Sendable {
        public let amzDate: String
        public let region: String
        public let signedHeaders: [String]
        let signature: String
    }

    /// Checks everything but the signature itself: the scheme, the key id, the scope and the date.
    /// The server calls this before reading a request's body, so an unauthenticated client cannot
    /// make it buffer one.
    public func authorization(_ headers: [String: String], now: Date = Date()) throws(Failure) -> Authorization {
        guard let authorization = headers["authorization"], !authorization.isEmpty else {
            throw Failure(type: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
        }
        let prefix = "AWS4-HMAC-SHA256 "
        guard authorization.hasPrefix(prefix) else {
            throw Failure(type: "IncompleteSignatureException", message: "Authorization header must use AWS4-HMAC-SHA256")
        }
        var parts: [String: String] = [:]
        for item in authorization.dropFirst(prefix.count).split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { parts[pair[0]] = pair[1] }
        }
        guard let credential = parts["Credential"], let signedHeaderList = parts["SignedHeaders"],
              let signature = parts["Signature"] else {
            throw Failure(type: "IncompleteSignatureException",
                          message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'")
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request" else {
            throw Failure(type: "IncompleteSignatureException", message: "Credential must be KEY/DATE/REGION/SERVICE/aws4_request")
        }
        guard Self.constantTimeEqual(scope[0], key.id) else {
            throw Failure(type: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }
        guard let amzDate = headers["x-amz-date"], let signedAt = Self.parseAmzDate(amzDate) else {
            throw Failure(type: "IncompleteSignatureException", message: "Missing or malformed X-Amz-Date header")
        }
        guard abs(signedAt.timeIntervalSince(now)) <= Self.maxClockSkew else {
            throw Failure(type: "InvalidSignatureException",
                          message: "Signature expired: \(amzDate) is not within 15 minutes of the server time \(Self.amzDate(now))")
        }
        guard scope[1] == String(amzDate.prefix(8)), scope[3] == service else {
            throw Failure(type: "InvalidSignatureException", message: "Credential should be scoped to a valid date and service '\(service)'")
        }
        let signedHeaders = signedHeaderList.split(separator: ";").map(String.init)
        guard signedHeaders.contains("host") else {
            throw Failure(type: "InvalidSignatureException", message: "The host header must be signed")
        }
        return Authorization(amzDate: amzDate, region: scope[2], signedHeaders: signedHeaders, signature: signature)
    }

    public func verify(_ request: Request, now: Date = Date()) throws(Failure) {
        let authorization = try self.authorization(request.headers, now: now)
        try Self.checkPayloadHashHeader(request, signedHeaders: authorization.signedHeaders)
        let expected = signatureHex(request, amzDate: authorization.amzDate, region: authorization.region,
                                    signedHeaders: authorization.signedHeaders)
        guard Self.constantTimeEqual(expected, authorization.signature) else {
            throw Failure(type: "InvalidSignatureException",
                          message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
        }
    }

    /// The payload hash a client may send in `x-amz-content-sha256`: when present it must be
    /// signed and equal the hash of the body received, so a captured request cannot be replayed
    /// with another body. `UNSIGNED-PAYLOAD` is refused: appflow clients (botocore, the AWS CLI)
    /// always sign the payload, and an unsigned one would let anyone who saw a request swap its body.
    static func checkPayloadHashHeader(_ request: Request, signedHeaders: [String]) throws(Failure) {
        guard let claimed = request.headers["x-amz-content-sha256"] else { return }
        guard signedHeaders.contains("x-amz-content-sha256") else {
            throw Failure(type: "InvalidSignatureException", message: "The x-amz-content-sha256 header must be signed")
        }
        guard claimed != "UNSIGNED-PAYLOAD" else {
            throw Failure(type: "InvalidSignatureException", message: "UNSIGNED-PAYLOAD is not accepted: sign the request body")
        }
        guard constantTimeEqual(claimed.lowercased(), payloadHash(request.body)) else {
            throw Failure(type: "InvalidSignatureException",
                          message: "The provided x-amz-content-sha256 header does not match what was computed.")
        }
    }

    static func payloadHash(_ body: [UInt8]) -> String { hex(SHA256.hash(data: body)) }

    /// The hex signature of `request` for the given scope; also what a client sends.
    public func signatureHex(_ request: Request, amzDate: String, region: String, signedHeaders: [String]) -> String {
        let canonical = Self.canonicalRequest(request, signedHeaders: signedHeaders)
        let date = String(amzDate.prefix(8))
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, "\(date)/\(region)/\(service)/aws4_request",
                            Self.hex(SHA256.hash(data: Data(canonical.utf8)))].joined(separator: "\n")
        var signingKey = SymmetricKey(data: Data("AWS4\(key.secret)".utf8))
        for part in [date, region, service, "aws4_request"] {
            signingKey = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: signingKey)))
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey))
    }

    static func canonicalRequest(_ request: Request, signedHeaders: [String]) -> String {
        let headerLines = signedHeaders.sorted().map { name in
            "\(name):\((request.headers[name] ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " "))"
        }
        // Always the hash of the body itself, never the header's claim about it.
        let payload = payloadHash(request.body)
        return [request.method.uppercased(), uriEncode(request.rawPath, keepSlash: true), canonicalQuery(request.rawQuery),
                headerLines.joined(separator: "\n") + "\n", signedHeaders.sorted().joined(separator: ";"), payload]
            .joined(separator: "\n")
    }

    /// Query parameters decoded, re-encoded the AWS way and sorted by key then value.
    static func canonicalQuery(_ raw: String?) -> String {
        guard let raw, !raw.isEmpty else { return "" }
        let pairs = raw.split(separator: "&").map { item -> (String, String) in
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let decode = { (s: String) in s.replacingOccurrences(of: "+", with: "%20").removingPercentEncoding ?? s }
            return (uriEncode(decode(kv[0]), keepSlash: false), uriEncode(decode(kv.count > 1 ? kv[1] : ""), keepSlash: false))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// RFC 3986 encoding: everything but `A-Z a-z 0-9 - _ . ~` (and `/` when asked) as `%XX`.
    public static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    public static func amzDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
    }

    static func parseAmzDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.date(from: text)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
