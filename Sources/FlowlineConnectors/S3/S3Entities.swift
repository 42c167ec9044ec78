import Foundation

/// What `list-connector-entities` shows for S3: buckets, or the folders and objects just below a path.
public enum S3Entities {
    public struct Entity: Sendable, Equatable {
        public var name: String
        public var nested: Bool
    }

    public static func list(root: S3Root, path: String?) -> [Entity] {
        let fm = FileManager.default
        let base: String
        var prefix = ""
        if let path, !path.isEmpty {
            let slash = path.firstIndex(of: "/")
            let bucket = slash.map { String(path[..<$0]) } ?? path
            let rest = slash.map { String(path[path.index(after: $0)...]) } ?? ""
            guard let dir = try? root.objectPath(bucket: bucket, key: rest) else { return [] }
            base = dir
            prefix = rest.isEmpty ? bucket + "/" : bucket + "/" + rest.split(separator: "/").joined(separator: "/") + "/"
        } else {
            base = root.path
        }
        guard let names = try? fm.contentsOfDirectory(atPath: base) else { return [] }
        return names.sorted().filter { !$0.hasPrefix(".") }.map { name in
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: base + "/" + name, isDirectory: &isDir)
            return Entity(name: prefix + name, nested: isDir.boolValue)
        }
    }
}
