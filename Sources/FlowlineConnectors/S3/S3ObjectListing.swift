import Foundation

/// Lists the objects of a local bucket under a key prefix, in S3's order (by key, bytewise).
///
/// S3 prefixes are plain string prefixes of keys, not folders: `data/2026` matches
/// `data/2026-01.csv` and `data/2026/x.csv`. So the walk starts at the prefix's last folder and
/// keeps the keys that start with the whole prefix. A symbolic link in the bucket, on the way to
/// the prefix or under it, is refused rather than followed or skipped: it could lead anywhere.
public enum S3ObjectListing {
    public struct Object: Sendable, Hashable {
        public var key: String
        public var path: String
        public var size: Int64
    }

    public static func list(root: S3Root, bucket: String, prefix: String) throws -> [Object] {
        let bucketPath = try root.bucketPath(bucket)
        try root.checkNoLinks(bucket: bucket, key: "")
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: bucketPath, isDirectory: &isDir), isDir.boolValue else {
            throw S3SourceError.noSuchBucket(bucket)
        }
        _ = try S3Root.keyComponents(prefix)
        let folder = prefix.contains("/") ? String(prefix[..<prefix.lastIndex(of: "/")!]) : ""
        try root.checkNoLinks(bucket: bucket, key: folder)
        let start = folder.isEmpty ? bucketPath : bucketPath + "/" + folder
        var objects: [Object] = []
        guard let walker = FileManager.default.enumerator(atPath: start) else { return [] }
        while let relative = walker.nextObject() as? String {
            let key = folder.isEmpty ? relative : folder + "/" + relative
            let path = start + "/" + relative
            // attributesOfItem does not follow links, so a link shows as one.
            guard let attrs = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            if attrs[.type] as? FileAttributeType == .typeSymbolicLink {
                walker.skipDescendants()
                if key.hasPrefix(prefix) || prefix.hasPrefix(key + "/") { throw S3PathError.symbolicLink("s3://\(bucket)/\(key)") }
                continue
            }
            guard key.hasPrefix(prefix), attrs[.type] as? FileAttributeType == .typeRegular else { continue }
            objects.append(Object(key: key, path: path, size: (attrs[.size] as? NSNumber)?.int64Value ?? 0))
        }
        objects.sort { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        return objects
    }
}
