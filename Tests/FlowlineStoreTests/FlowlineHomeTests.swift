import Foundation
import Testing
@testable import FlowlineStore

@Suite struct FlowlineHomeTests {
    @Test func resolvesFromEnvironment() {
        #expect(FlowlineHome.resolve(environment: ["FLOWLINE_HOME": "/srv/fl", "HOME": "/home/u"]).url.path == "/srv/fl")
        #expect(FlowlineHome.resolve(environment: ["HOME": "/home/u"]).url.path == "/home/u/.flowline")
        #expect(FlowlineHome.resolve(environment: ["FLOWLINE_HOME": "", "HOME": "/home/u"]).url.path == "/home/u/.flowline")
    }

    @Test func openingCreatesAnOwnerOnlyHome() throws {
        let temp = TemporaryHome()
        _ = try temp.openStore()
        let attributes = try FileManager.default.attributesOfItem(atPath: temp.home.url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        #expect(FileManager.default.fileExists(atPath: temp.home.databaseURL.path))
    }

    @Test func aFileInThePlaceOfTheHomeIsRefused() throws {
        let temp = TemporaryHome()
        try FileManager.default.createDirectory(at: temp.root, withIntermediateDirectories: true)
        try Data().write(to: temp.home.url)
        #expect(throws: FlowlineHomeError.notADirectory(path: temp.home.url.path)) { try temp.openStore() }
    }

    @Test func connectionPragmasAreSet() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let values = try store.read { tx throws in
            try ["journal_mode", "foreign_keys", "synchronous", "busy_timeout"].map { pragma in
                try tx.query("PRAGMA \(pragma)").first!.values.first!
            }
        }
        #expect(values == [.text("wal"), .integer(1), .integer(2), .integer(10_000)])
    }
}
