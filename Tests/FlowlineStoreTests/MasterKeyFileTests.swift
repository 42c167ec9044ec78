import Crypto
import Foundation
import Testing
@testable import FlowlineStore

@Suite struct MasterKeyFileTests {
    @Test func createdOnFirstUseOwnerOnlyAndStable() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        // Opening alone does not create it; the first sealing does.
        #expect(!FileManager.default.fileExists(atPath: temp.home.masterKeyURL.path))
        try store.write { try $0.insertProfile(sampleProfile("p"), credentials: Data("pw".utf8)) }
        let attributes = try FileManager.default.attributesOfItem(atPath: temp.home.masterKeyURL.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let bytes = try Data(contentsOf: temp.home.masterKeyURL)
        #expect(bytes.count == 32)
        let key = try #require(try MasterKeyFile.load(at: temp.home.masterKeyURL))
        #expect(key.withUnsafeBytes { Data($0) } == bytes)
        // No temp files are left beside it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: temp.home.url.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func concurrentFirstUsesAgreeOnOneKey() throws {
        let temp = TemporaryHome()
        try temp.home.prepare()
        let url = temp.home.masterKeyURL
        let keys = KeyLog()
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread {
                if let key = try? MasterKeyFile.loadOrCreate(at: url) { keys.record(key.withUnsafeBytes { Data($0) }) }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(keys.all.count == 4)
        #expect(Set(keys.all).count == 1)
    }

    @Test func looserPermissionsAreRefused() throws {
        let temp = TemporaryHome()
        try temp.home.prepare()
        _ = try MasterKeyFile.loadOrCreate(at: temp.home.masterKeyURL)
        chmod(temp.home.masterKeyURL.path, 0o644)
        let error = #expect(throws: MasterKeyError.permissionsTooOpen(path: temp.home.masterKeyURL.path, mode: 0o644)) {
            try MasterKeyFile.loadOrCreate(at: temp.home.masterKeyURL)
        }
        #expect("\(error!)".contains("chmod 600"))
        // The store refuses to seal with it too.
        let store = try temp.openStore()
        #expect(throws: MasterKeyError.self) {
            try store.write { try $0.insertProfile(sampleProfile("p"), credentials: Data()) }
        }
    }

    @Test func aTruncatedKeyIsRefused() throws {
        let temp = TemporaryHome()
        try temp.home.prepare()
        FileManager.default.createFile(atPath: temp.home.masterKeyURL.path, contents: Data(repeating: 7, count: 16),
                                       attributes: [.posixPermissions: 0o600])
        #expect(throws: MasterKeyError.wrongSize(path: temp.home.masterKeyURL.path, bytes: 16)) {
            try MasterKeyFile.loadOrCreate(at: temp.home.masterKeyURL)
        }
    }
}

/// Keys gathered from several threads. `@unchecked Sendable`: every access holds `lock`.
final class KeyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [Data] = []

    func record(_ key: Data) {
        lock.lock()
        keys.append(key)
        lock.unlock()
    }

    var all: [Data] {
        lock.lock()
        defer { lock.unlock() }
        return keys
    }
}
