import Crypto
import Foundation

/// The home's master key: `master.key`, 32 random bytes, readable by the owner only.
///
/// Created on first use. The bytes go to a private temp file that is then linked into place:
/// `link` (unlike `rename`) refuses to replace a key another process created at the same moment,
/// so two first runs can never end up sealing under two different keys.
public enum MasterKeyFile {
    public static let byteCount = 32

    /// Loads the key at `url`, creating it when missing.
    public static func loadOrCreate(at url: URL) throws -> SymmetricKey {
        if let key = try load(at: url) { return key }
        try create(at: url)
        guard let key = try load(at: url) else {
            throw MasterKeyError.io(path: url.path, operation: "read after create", code: ENOENT)
        }
        return key
    }

    /// The key at `url`, or nil when there is no file; refuses a file others can read or write.
    public static func load(at url: URL) throws -> SymmetricKey? {
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw MasterKeyError.io(path: path, operation: "stat", code: errno)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw MasterKeyError.notARegularFile(path: path) }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0, info.st_uid == geteuid() else {
            throw MasterKeyError.permissionsTooOpen(path: path, mode: UInt32(permissions))
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw MasterKeyError.io(path: path, operation: "read", code: errno)
        }
        guard bytes.count == byteCount else { throw MasterKeyError.wrongSize(path: path, bytes: bytes.count) }
        return SymmetricKey(data: bytes)
    }

    private static func create(at url: URL) throws {
        let finalPath = url.path
        let tempPath = "\(finalPath).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw MasterKeyError.io(path: tempPath, operation: "create", code: errno) }
        defer { unlink(tempPath) }
        let key = SymmetricKey(size: .bits256)
        let written = key.withUnsafeBytes { bytes in write(descriptor, bytes.baseAddress, bytes.count) }
        let writeError = errno
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == byteCount, synced else {
            throw MasterKeyError.io(path: tempPath, operation: "write", code: writeError)
        }
        if link(tempPath, finalPath) != 0 && errno != EEXIST {
            throw MasterKeyError.io(path: finalPath, operation: "link", code: errno)
        }
        // Make the new directory entry durable too.
        let directory = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}

public enum MasterKeyError: Error, CustomStringConvertible, Sendable, Equatable {
    case permissionsTooOpen(path: String, mode: UInt32)
    case notARegularFile(path: String)
    case wrongSize(path: String, bytes: Int)
    case io(path: String, operation: String, code: Int32)

    public var description: String {
        switch self {
        case .permissionsTooOpen(let path, let mode):
            return "master key \(path) has permissions \(String(mode, radix: 8)) (or another owner); "
                + "it must be readable by its owner only: chmod 600 \(path)"
        case .notARegularFile(let path):
            return "master key \(path) is not a regular file"
        case .wrongSize(let path, let bytes):
            return "master key \(path) holds \(bytes) bytes; expected \(MasterKeyFile.byteCount)"
        case .io(let path, let operation, let code):
            return "master key \(path): \(operation) failed: \(String(cString: strerror(code)))"
        }
    }
}
