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

    /// Refuses a bucket, or an existing folder or object on the way to `key` in it, that is a
    /// symbolic link: nothing is read or written through one, so no link planted in a bucket
    /// leads outside the root. (The root itself may be a link: it is the operator's choice.)
    public func checkNoLinks(bucket: String, key: String) throws(S3PathError) {
        var path = try bucketPath(bucket)
        var shown = bucket
        for part in [""] + (try Self.keyComponents(key)) {
            if !part.isEmpty {
                path += "/" + part
                shown += "/" + part
            }
            var info = stat()
            guard lstat(path, &info) == 0 else { return }   // what does not exist yet is created as a real folder
            if (info.st_mode & S_IFMT) == S_IFLNK { throw .symbolicLink("s3://" + shown) }
        }
    }

    /// The bucket and key of a file path inside the root, or nil when `path` is not plainly
    /// inside a bucket (outside the root, `..`, an invalid bucket name).
    public func bucketAndKey(ofPath path: String) -> (bucket: String, key: String)? {
        let base = self.path.hasSuffix("/") ? self.path : self.path + "/"
        guard path.hasPrefix(base) else { return nil }
        let parts = path.dropFirst(base.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, Self.isValidBucketName(parts[0]), !parts.dropFirst().contains(where: { $0.isEmpty }) else { return nil }
        let key = parts.dropFirst().joined(separator: "/")
        guard (try? Self.keyComponents(key)) != nil else { return nil }
        return (parts[0], key)
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
    /// An `s3://bucket/key` location that is a symbolic link.
    case symbolicLink(String)
    /// A staging manifest naming files outside its staging folder or outside every bucket.
    case tamperedManifest(String)

    public var description: String {
        switch self {
        case .invalidBucket(let b):
            return "Invalid bucket name '\(b)': use 3-63 lowercase letters, digits, dots or hyphens"
        case .invalidKey(let k, let reason):
            return "Invalid object key or prefix '\(k)': \(reason)"
        case .symbolicLink(let location):
            return "\(location) is a symbolic link in the local S3 root; Flowline does not follow links there (they could lead outside it)"
        case .tamperedManifest(let reason):
            return "the staging manifest was refused and nothing was moved: \(reason)"
        }
    }
}
