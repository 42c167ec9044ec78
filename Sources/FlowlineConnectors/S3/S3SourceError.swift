/// Why the S3 source could not read.
public enum S3SourceError: Error, CustomStringConvertible, Equatable {
    case noSuchBucket(String)
    case noObjects(bucket: String, prefix: String)
    case unreadable(key: String, reason: String)
    case badResumeToken(String)

    public var description: String {
        switch self {
        case .noSuchBucket(let b):
            return "The bucket '\(b)' does not exist in the local S3 root"
        case .noObjects(let b, let p):
            return "No objects found under s3://\(b)/\(p)"
        case .unreadable(let key, let reason):
            return "Could not read object '\(key)': \(reason)"
        case .badResumeToken(let t):
            return "The saved resume position '\(t)' does not match the source objects"
        }
    }
}
