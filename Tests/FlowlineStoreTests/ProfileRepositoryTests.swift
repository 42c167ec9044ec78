import Foundation
import Testing
@testable import FlowlineStore

@Suite struct ProfileRepositoryTests {
    @Test func insertGetAndOpenCredentials() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let profile = sampleProfile("sf-prod")
        try store.write { try $0.insertProfile(profile, credentials: Data(#"{"accessToken":"t0k"}"#.utf8)) }
        try store.read { tx throws in
            #expect(try tx.profile(named: "sf-prod") == profile)
            #expect(try tx.profile(named: "missing") == nil)
            #expect(try tx.profileCredentials(named: "sf-prod") == Data(#"{"accessToken":"t0k"}"#.utf8))
            #expect(throws: StoreError.notFound(.connectorProfile, key: "missing")) {
                try tx.profileCredentials(named: "missing")
            }
        }
    }

    @Test func duplicateNameIsATypedError() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        try store.write { try $0.insertProfile(sampleProfile("dup"), credentials: Data()) }
        #expect(throws: StoreError.duplicate(.connectorProfile, key: "dup")) {
            try store.write { try $0.insertProfile(sampleProfile("dup"), credentials: Data()) }
        }
    }

    @Test func listFiltersAndPages() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        try store.write { tx throws in
            for index in 0..<7 {
                try tx.insertProfile(sampleProfile("p\(index)", type: index % 2 == 0 ? "Salesforce" : "Slack"),
                                     credentials: Data())
            }
        }
        // Paging through everything, two at a time.
        var names: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try store.read { try $0.listProfiles(maxResults: 2, nextToken: token) }
            names += page.items.map(\.name)
            token = page.nextToken
            pages += 1
        } while token != nil
        #expect(names == (0..<7).map { "p\($0)" })
        #expect(pages == 4)

        try store.read { tx throws in
            #expect(try tx.listProfiles(connectorType: "Slack", maxResults: 10).items.map(\.name) == ["p1", "p3", "p5"])
            #expect(try tx.listProfiles(names: ["p5", "p2", "nope"], maxResults: 10).items.map(\.name) == ["p2", "p5"])
            #expect(try tx.listProfiles(names: ["p5", "p2"], connectorType: "Slack", maxResults: 10)
                .items.map(\.name) == ["p5"])
            let first = try tx.listProfiles(connectorType: "Salesforce", maxResults: 1)
            #expect(first.items.map(\.name) == ["p0"])
            #expect(try tx.listProfiles(connectorType: "Salesforce", maxResults: 10, nextToken: first.nextToken)
                .items.map(\.name) == ["p2", "p4", "p6"])
            #expect(throws: StoreError.invalidNextToken) { try tx.listProfiles(maxResults: 1, nextToken: "garbage") }
            // A token from another listing is refused.
            let flowToken = PageToken.make(listing: "flows", key: ["a"])
            #expect(throws: StoreError.invalidNextToken) { try tx.listProfiles(maxResults: 1, nextToken: flowToken) }
        }
    }

    @Test func updateKeepsOrReplacesCredentials() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        try store.write { try $0.insertProfile(sampleProfile("p"), credentials: Data("old".utf8)) }
        try store.write { tx throws in
            try tx.updateProfile(named: "p", connectionMode: "Private", properties: Data("{}".utf8),
                                 credentials: nil, lastUpdatedAt: date(60))
        }
        try store.read { tx throws in
            let updated = try #require(try tx.profile(named: "p"))
            #expect(updated.connectionMode == "Private")
            #expect(updated.properties == Data("{}".utf8))
            #expect(updated.lastUpdatedAt == date(60))
            #expect(updated.createdAt == date(0))
            #expect(try tx.profileCredentials(named: "p") == Data("old".utf8))
        }
        try store.write { tx throws in
            try tx.updateProfile(named: "p", connectionMode: "Public", properties: Data("{}".utf8),
                                 credentials: Data("new".utf8), lastUpdatedAt: date(61))
        }
        #expect(try store.read { try $0.profileCredentials(named: "p") } == Data("new".utf8))
        #expect(throws: StoreError.notFound(.connectorProfile, key: "ghost")) {
            try store.write { tx throws in
                try tx.updateProfile(named: "ghost", connectionMode: "Public", properties: Data(),
                                     credentials: nil, lastUpdatedAt: date(1))
            }
        }
    }

    @Test func deleteRefusesWhileInUseUnlessForced() throws {
        let temp = TemporaryHome()
        let store = try temp.openStore()
        let profile = sampleProfile("src")
        try store.write { tx throws in
            try tx.insertProfile(profile, credentials: Data())
            try tx.insertProfile(sampleProfile("lonely"), credentials: Data())
            try tx.setTags(["env": "prod"], forResource: profile.arn)
            try tx.insertFlow(sampleFlow("f1", source: "src"))
        }
        #expect(throws: StoreError.profileInUse(profile: "src", flows: ["f1"])) {
            try store.write { try $0.deleteProfile(named: "src") }
        }
        try store.write { try $0.deleteProfile(named: "lonely") }
        try store.write { try $0.deleteProfile(named: "src", force: true) }
        try store.read { tx throws in
            #expect(try tx.profile(named: "src") == nil)
            #expect(try tx.flowsUsing(profileName: "src").isEmpty)
            #expect(try tx.tags(forResource: profile.arn).isEmpty)
            #expect(try tx.flow(named: "f1")?.sourceProfileName == nil)
        }
        #expect(throws: StoreError.notFound(.connectorProfile, key: "src")) {
            try store.write { try $0.deleteProfile(named: "src") }
        }
    }
}
