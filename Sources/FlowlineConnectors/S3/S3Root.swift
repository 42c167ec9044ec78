import Foundation

/// The local directory that stands in for S3: a directory per bucket, object keys as paths below it.
///
/// Every bucket name and key goes through here, so nothing a flow names can reach outside the root.
public struct S3Root: Sendable {
    public let path: String

    /// `$FLOWLINE_S3_ROOT`, else `s3/` inside the Flowline home.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, home: String) {
        if let root = environment["FLOWLINE_S3_ROOT"], !root.isEmpty {
            path = root
        } else {
            path = (home as NSString).appendingPathComponent("s3")
        }
    }

    public init(path: String) {
        self.path = path
    }

    /// The directory for a bucket; the name must be a plain S3 bucket name.
    public func bucketPath(_ bucket: String) throws(S3PathError) -> String {
        guard Self.isValidBucketName(bucket) else { throw .invalidBucket(bucket) }
        return (path as NSString).appendingPathComponent(bucket)
    }

    /// The file path of `key` in `bucket`, refusing keys that would escape the bucket.
    public func objectPath(bucket: String, key: String) throws(S3PathError) -> String {
        let base = try bucketPath(bucket)
        let parts = try Self.keyComponents(key)
        return parts.isEmpty ? base : base + "/" + parts.joined(separator: "/")
    }

    /// Splits a key or prefix into path components: no `..`, no `.`, no absolute keys, no NUL.
    public static func keyComponents(_ key: String) throws(S3PathError) -> [String] {
        if key.hasPrefix("/") { throw .invalidKey(key, reason: "keys may not start with '/'") }
        if key.contains("\0") { throw .invalidKey(key, reason: "keys may not contain NUL") }
        var parts: [String] = []
        for part in key.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." || part == "." { throw .invalidKey(key, reason: "'\(part)' would leave the bucket") }
            parts.append(String(part))
        }
        return parts
    }

    /// S3's rules: 3–63 characters of lowercase letters, digits, dots and hyphens, starting and
    /// ending with a letter or digit, no `..`.
    public static func isValidBucketName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard (3...63).contains(u.count), !name.contains("..") else { return false }
        func alnum(_ c: UInt8) -> Bool { (97...122).contains(c) || (48...57).contains(c) }
        guard alnum(u.first!), alnum(u.last!) else { return false }
        return u.allSatisfy { alnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}

public enum S3PathError: Error, CustomStringConvertible, Equatable {
    case invalidBucket(String)
    case invalidKey(String, reason: String)

    public var description: String {
        switch self {
        case .invalidBucket(let b):
            return "Invalid bucket name '\(b)': use 3-63 lowercase letters, digits, dots or hyphens"
        case .invalidKey(let k, let reason):
            return "Invalid object key or prefix '\(k)': \(reason)"
        }
    }
}
