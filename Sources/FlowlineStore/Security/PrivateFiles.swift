import Foundation

/// Files and folders only their owner may read: the home, the database, kept events, the
/// server's credentials. New ones are created owner-only; temporary files are created anew
/// (`O_EXCL`) and never through a link (`O_NOFOLLOW`), so nothing left at their name is written.
public enum PrivateFiles {
    /// Why a file that must be private is not.
    public enum Problem: Error, Sendable, Equatable {
        case notARegularFile
        case notPrivate(mode: UInt32)
    }

    /// Nil when `path` is a regular file of this user that group and others cannot read or write.
    public static func ownerOnlyProblem(_ path: String) -> Problem? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notARegularFile }
        let mode = UInt32(info.st_mode & 0o777)
        return mode & 0o077 == 0 && info.st_uid == geteuid() ? nil : .notPrivate(mode: mode)
    }

    /// Creates the directory (and missing parents) owner-only. An existing directory of this user
    /// that others can enter is tightened to 0700; the returned warning says so. A link at `path`
    /// is refused unless `followingLinks` (a home the user chose may be a link).
    @discardableResult
    public static func directory(_ path: String, followingLinks: Bool = false) throws -> String? {
        var info = stat()
        if (followingLinks ? stat(path, &info) : lstat(path, &info)) != 0 {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            _ = chmod(path, 0o700)   // the umask cannot loosen 0700, but a racing creator could have
            return nil
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: path,
                             NSLocalizedDescriptionKey: "\(path) exists but is not a directory (or is a symbolic link)"])
        }
        let mode = UInt32(info.st_mode & 0o777)
        guard mode & 0o077 != 0, info.st_uid == geteuid() else { return nil }
        guard chmod(path, 0o700) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
        return "\(path) had permissions \(String(mode, radix: 8).leftPadded(to: 4)); set to 0700 (owner only)"
    }

    /// A regular file that exists and is owner-only: created empty (0600) when missing, tightened
    /// to 0600 when others could read it. Does not follow a link at `path`.
    ///
    /// An existing file is changed by path, never opened: the database and its WAL files may be
    /// open in SQLite in this process, and closing any other descriptor of a file drops the
    /// process's POSIX locks on it, which SQLite relies on.
    public static func ownerOnlyFile(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            let fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)   // a file just created: no other descriptor of it exists
                return
            }
            guard errno == EEXIST, lstat(path, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw POSIXError(.EINVAL) }
        if info.st_mode & 0o077 != 0, chmod(path, 0o600) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
    }

    /// Writes `data` to `url` whole or not at all, owner-only: a new temporary file beside it
    /// (`O_EXCL | O_NOFOLLOW`, 0600), fsync, rename.
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = url.path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            closed = true
            close(fd)
            guard rename(temporary, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
