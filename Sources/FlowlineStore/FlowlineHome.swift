import Foundation

/// The directory that holds Flowline's local state: `flowline.db` and `master.key`.
public struct FlowlineHome: Sendable, Equatable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// `$FLOWLINE_HOME` when set and non-empty, else `~/.flowline`.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> FlowlineHome {
        if let path = environment["FLOWLINE_HOME"], !path.isEmpty {
            return FlowlineHome(url: URL(fileURLWithPath: path, isDirectory: true))
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return FlowlineHome(url: home.appendingPathComponent(".flowline", isDirectory: true))
    }

    public var databaseURL: URL { url.appendingPathComponent("flowline.db") }
    public var masterKeyURL: URL { url.appendingPathComponent("master.key") }

    /// Creates the directory owner-only (0700) if it is missing. A home others can enter is
    /// tightened to 0700, with a warning on stderr: it holds the database and the master key.
    public func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw FlowlineHomeError.notADirectory(path: url.path)
        }
        do {
            if let warning = try PrivateFiles.directory(url.path, followingLinks: true) {
                FileHandle.standardError.write(Data("flowline: warning: Flowline home \(warning)\n".utf8))
            }
        } catch {
            throw FlowlineHomeError.cannotCreate(path: url.path, reason: "\(error)")
        }
    }

    /// Makes `flowline.db` (and its WAL files when present) owner-only before SQLite opens it;
    /// SQLite gives the -wal and -shm files it creates the database file's mode.
    func prepareDatabaseFiles() throws {
        do {
            try PrivateFiles.ownerOnlyFile(databaseURL.path)
            for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: databaseURL.path + suffix) {
                try PrivateFiles.ownerOnlyFile(databaseURL.path + suffix)
            }
        } catch {
            throw FlowlineHomeError.cannotCreate(path: databaseURL.path, reason: "\(error)")
        }
    }
}

public enum FlowlineHomeError: Error, CustomStringConvertible, Sendable, Equatable {
    case notADirectory(path: String)
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .notADirectory(let path): return "Flowline home \(path) exists but is not a directory"
        case .cannotCreate(let path, let reason): return "cannot create Flowline home \(path): \(reason)"
        }
    }
}
