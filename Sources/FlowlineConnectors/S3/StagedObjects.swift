import Foundation

/// Files a run writes, kept out of sight until the run commits.
///
/// Each file is written under `<root>/.flowline-staging/<executionId>/`, outside every bucket, so
/// no reader ever sees a partial object. Commit writes a manifest (temp file, fsync, rename) and
/// then renames each file into its bucket; recovery after a crash finishes a committed manifest
/// or deletes an uncommitted staging directory, so a run publishes all of its files or none.
public final class StagedObjects: @unchecked Sendable {
    // @unchecked: used by one run's writer at a time (the runner serialises writer calls).
    public let stagingDirectory: String
    private let root: S3Root
    private var entries: [(staged: String, final: String)] = []
    private var counter = 0

    public init(root: S3Root, executionId: String) throws {
        self.root = root
        stagingDirectory = Self.stagingDirectory(root: root, executionId: executionId)
        try FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
    }

    static func stagingRoot(_ root: S3Root) -> String {
        (root.path as NSString).appendingPathComponent(".flowline-staging")
    }

    static func stagingDirectory(root: S3Root, executionId: String) -> String {
        (stagingRoot(root) as NSString).appendingPathComponent(executionId)
    }

    /// A fresh staging path for an object that will be published at `finalPath`.
    public func stage(finalPath: String) -> String {
        counter += 1
        let staged = (stagingDirectory as NSString).appendingPathComponent(String(format: "%06d.part", counter))
        entries.append((staged, finalPath))
        return staged
    }

    /// Publishes every staged file into its final place.
    public func commit() throws {
        let manifest = entries.map { "\($0.staged)\t\($0.final)" }.joined(separator: "\n")
        let manifestPath = (stagingDirectory as NSString).appendingPathComponent("MANIFEST")
        try Self.writeDurably(manifest, to: manifestPath)
        try Self.publish(entries)
        try? FileManager.default.removeItem(atPath: stagingDirectory)
    }

    public func abort() {
        try? FileManager.default.removeItem(atPath: stagingDirectory)
    }

    /// Finishes or discards what a dead run left. Returns true when it published a committed run.
    @discardableResult
    public static func recover(root: S3Root, executionId: String) throws -> Bool {
        let dir = stagingDirectory(root: root, executionId: executionId)
        let manifestPath = (dir as NSString).appendingPathComponent("MANIFEST")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard let manifest = try? String(contentsOfFile: manifestPath, encoding: .utf8) else { return false }
        let pairs = manifest.split(separator: "\n").compactMap { line -> (String, String)? in
            let cols = line.split(separator: "\t", maxSplits: 1)
            return cols.count == 2 ? (String(cols[0]), String(cols[1])) : nil
        }
        // Files already renamed are gone from staging: publish only what is still there.
        try publish(pairs.filter { FileManager.default.fileExists(atPath: $0.0) })
        return true
    }

    private static func publish(_ pairs: [(staged: String, final: String)]) throws {
        let fm = FileManager.default
        for (staged, final) in pairs {
            try fm.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if rename(staged, final) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final,
                    NSLocalizedDescriptionKey: "rename to \(final) failed: \(String(cString: strerror(errno)))"])
            }
        }
    }

    static func writeDurably(_ text: String, to path: String) throws {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count, fsync(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard rename(tmp, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
