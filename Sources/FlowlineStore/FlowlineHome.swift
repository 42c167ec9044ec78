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

    /// Creates the directory (owner-only, 0700) if it is missing.
    public func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FlowlineHomeError.notADirectory(path: url.path) }
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw FlowlineHomeError.cannotCreate(path: url.path, reason: "\(error)")
        }
        // The umask cannot loosen 0700, but be explicit in case the directory raced into existence.
        _ = chmod(url.path, 0o700)
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
