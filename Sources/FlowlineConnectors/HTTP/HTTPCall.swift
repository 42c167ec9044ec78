import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request as connectors describe it: repeatable, so retries and token renewal can send it again.
public struct HTTPCall: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(_ method: HTTPMethod = .GET, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Sets a header, replacing any earlier value of the same name.
    public mutating func set(_ name: String, _ value: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }

    /// The URL without its query string: safe for messages (queries may carry filter values or keys).
    public var displayURL: String { HTTPCall.display(url) }

    static func display(_ url: String) -> String {
        guard let q = url.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return url }
        return String(url[..<q])
    }

    /// `url` with `query` items appended, percent-encoded.
    public static func url(_ base: String, query: [(String, String)]) -> String {
        guard !query.isEmpty else { return base }
        let encoded = query.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
        return base + (base.contains("?") ? "&" : "?") + encoded
    }

    /// RFC 3986 unreserved characters kept; everything else percent-encoded (so `+`, `&`, `=` in SOQL survive).
    public static func percentEncode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// An `application/x-www-form-urlencoded` body.
    public static func form(_ items: [(String, String)]) -> [UInt8] {
        Array(items.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&").utf8)
    }
}

/// A response with its whole body read.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: Int, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(buffer: body) }
    public var isSuccess: Bool { (200..<300).contains(status) }
}
