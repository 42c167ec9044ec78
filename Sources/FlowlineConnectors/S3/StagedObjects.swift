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

    /// Creates the run's staging folder, private to this user (0700), under a staging root that
    /// is too: another user cannot read what is staged, or plant files or links there.
    public init(root: S3Root, executionId: String) throws {
        self.root = root
        guard Self.isPlainName(executionId) else { throw S3PathError.invalidKey(executionId, reason: "not an execution id") }
        stagingDirectory = Self.stagingDirectory(root: root, executionId: executionId)
        try FileManager.default.createDirectory(atPath: root.path, withIntermediateDirectories: true)
        try Self.privateDirectory(Self.stagingRoot(root))
        try Self.privateDirectory(stagingDirectory)
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
        try Self.publish(entries, root: root)
        try? FileManager.default.removeItem(atPath: stagingDirectory)
    }

    public func abort() {
        try? FileManager.default.removeItem(atPath: stagingDirectory)
    }

    /// Finishes or discards what a dead run left. Returns true when it published a committed run.
    ///
    /// Only a manifest whose every line moves a file of this execution's staging folder to a
    /// place inside a bucket is carried out; any other (planted or damaged) is refused whole with
    /// `S3PathError.tamperedManifest`, nothing moved. The staging folder is removed either way.
    @discardableResult
    public static func recover(root: S3Root, executionId: String) throws -> Bool {
        guard isPlainName(executionId) else { return false }
        let dir = stagingDirectory(root: root, executionId: executionId)
        var info = stat()
        guard lstat(dir, &info) == 0 else { return false }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            unlink(dir)   // a link or a file where the folder should be: removed, never followed
            return false
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifestPath = (dir as NSString).appendingPathComponent("MANIFEST")
        guard lstat(manifestPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
              let manifest = try? String(contentsOfFile: manifestPath, encoding: .utf8) else { return false }
        var pairs: [(staged: String, final: String)] = []
        for (number, line) in manifest.split(separator: "\n").enumerated() {
            let cols = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard cols.count == 2 else { throw S3PathError.tamperedManifest("line \(number + 1) is not 'staged<TAB>final'") }
            let (staged, final) = (cols[0], cols[1])
            guard (staged as NSString).deletingLastPathComponent == dir, isPlainName((staged as NSString).lastPathComponent) else {
                throw S3PathError.tamperedManifest("line \(number + 1) moves \(staged), which is not a file of the execution's staging folder")
            }
            guard root.bucketAndKey(ofPath: final) != nil else {
                throw S3PathError.tamperedManifest("line \(number + 1) moves a file to \(final), which is not inside a bucket of \(root.path)")
            }
            pairs.append((staged, final))
        }
        // Files already renamed are gone from staging: publish only what is still there (and is a file, not a link).
        try publish(pairs.filter { lstat($0.staged, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG }, root: root)
        return true
    }

    private static func publish(_ pairs: [(staged: String, final: String)], root: S3Root) throws {
        let fm = FileManager.default
        for (staged, final) in pairs {
            // Checked again right before the move: no folder on the way may have become a link.
            guard let (bucket, key) = root.bucketAndKey(ofPath: final) else {
                throw S3PathError.tamperedManifest("\(final) is not inside a bucket of \(root.path)")
            }
            try root.checkNoLinks(bucket: bucket, key: key)
            try fm.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if rename(staged, final) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final,
                    NSLocalizedDescriptionKey: "rename to \(final) failed: \(String(cString: strerror(errno)))"])
            }
        }
    }

    /// Writes `text` to `path` durably: a new temporary file (never an existing one, never through
    /// a link), fsync, rename.
    static func writeDurably(_ text: String, to path: String) throws {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count, fsync(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard rename(tmp, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// A directory only this user can enter: created 0700, or found as a real directory (not a
    /// link) of this user and tightened to 0700.
    static func privateDirectory(_ path: String) throws {
        if mkdir(path, 0o700) == 0 { return }
        guard errno == EEXIST else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw S3PathError.invalidKey(path, reason: "the staging folder is not a directory (a link is not followed)")
        }
        guard info.st_uid == geteuid() else {
            throw S3PathError.invalidKey(path, reason: "the staging folder belongs to another user")
        }
        if info.st_mode & 0o077 != 0, chmod(path, 0o700) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
    }

    /// One path component, not `.` or `..`.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }
}
