import Foundation
import Testing
@testable import FlowlineStore

@Suite struct FlowRepositoryTests {
    func storeWithProfiles(_ temp: TemporaryHome) throws -> MetadataStore {
        let store = try temp.openStore()
        try store.write { tx throws in
            for name in ["sf", "rs1", "rs2"] { try tx.insertProfile(sampleProfile(name), credentials: Data()) }
        }
        return store
    }

    @Test func insertGetAndLinks() throws {
        let temp = TemporaryHome()
        let store = try storeWithProfiles(temp)
        let flow = sampleFlow("orders", source: "sf", destinations: ["rs2", "rs1"])
        try store.write { try $0.insertFlow(flow) }
        try store.read { tx throws in
            #expect(try tx.flow(named: "orders") == flow)
            #expect(try tx.flowsUsing(profileName: "rs1") == ["orders"])
            #expect(try tx.flowsUsing(profileName: "sf") == ["orders"])
        }
        #expect(throws: StoreError.duplicate(.flow, key: "orders")) { try store.write { try $0.insertFlow(flow) } }
    }

    @Test func unknownProfileIsRefusedAndNothingIsWritten() throws {
        let temp = TemporaryHome()
        let store = try storeWithProfiles(temp)
        #expect(throws: StoreError.notFound(.connectorProfile, key: "nope")) {
            try store.write { try $0.insertFlow(sampleFlow("bad", source: "sf", destinations: ["nope"])) }
        }
        #expect(try store.read { try $0.flow(named: "bad") } == nil)
    }

    @Test func updateReplacesFieldsAndLinks() throws {
        let temp = TemporaryHome()
        let store = try storeWithProfiles(temp)
        try store.write { try $0.insertFlow(sampleFlow("f", source: "sf", destinations: ["rs1"])) }
        var changed = sampleFlow("f", source: "sf", destinations: ["rs2"])
        changed.description = nil
        changed.definition = Data(#"{"v":2}"#.utf8)
        changed.lastUpdatedAt = date(99)
        changed.lastUpdatedBy = "someone-else"
        changed.createdBy = "ignored"
        try store.write { try $0.updateFlow(changed) }
        try store.read { tx throws in
            let stored = try #require(try tx.flow(named: "f"))
            #expect(stored.definition == Data(#"{"v":2}"#.utf8))
            #expect(stored.description == nil)
            #expect(stored.createdBy == "tester")
            #expect(stored.lastUpdatedBy == "someone-else")
            #expect(stored.destinationProfileNames == ["rs2"])
            #expect(try tx.flowsUsing(profileName: "rs1").isEmpty)
            #expect(try tx.flowsUsing(profileName: "rs2") == ["f"])
        }
        #expect(throws: StoreError.notFound(.flow, key: "ghost")) {
            try store.write { try $0.updateFlow(sampleFlow("ghost")) }
        }
    }

    @Test func setStatusAndList() throws {
        let temp = TemporaryHome()
        let store = try storeWithProfiles(temp)
        try store.write { tx throws in
            for index in 0..<5 { try tx.insertFlow(sampleFlow("flow-\(index)")) }
            try tx.setFlowStatus(named: "flow-3", status: "Suspended", lastUpdatedAt: date(5))
        }
        let first = try store.read { try $0.listFlows(maxResults: 3) }
        #expect(first.items.map(\.name) == ["flow-0", "flow-1", "flow-2"])
        let second = try store.read { try $0.listFlows(maxResults: 3, nextToken: first.nextToken) }
        #expect(second.items.map(\.name) == ["flow-3", "flow-4"])
        #expect(second.nextToken == nil)
        #expect(second.items[0].flowStatus == "Suspended")
        #expect(second.items[0].lastUpdatedAt == date(5))
        #expect(throws: StoreError.notFound(.flow, key: "x")) {
            try store.write { try $0.setFlowStatus(named: "x", status: "Active", lastUpdatedAt: date(1)) }
        }
    }

    @Test func deleteRemovesLinksExecutionsWatermarkAndTags() throws {
        let temp = TemporaryHome()
        let store = try storeWithProfiles(temp)
        let flow = sampleFlow("f", source: "sf", destinations: ["rs1"])
        try store.write { tx throws in
            try tx.insertFlow(flow)
            try tx.setTags(["a": "1"], forResource: flow.arn)
            try tx.insertExecution(sampleExecution("e1", flow: "f", startedAt: date(1)))
            try tx.setWatermark(WatermarkRecord(flowName: "f", watermark: 42, executionId: "e1", updatedAt: date(2)))
        }
        try store.write { try $0.deleteFlow(named: "f") }
        try store.read { tx throws in
            #expect(try tx.flow(named: "f") == nil)
            #expect(try tx.flowsUsing(profileName: "sf").isEmpty)
            #expect(try tx.tags(forResource: flow.arn).isEmpty)
            #expect(try tx.execution(id: "e1") == nil)
            #expect(try tx.watermark(flowName: "f") == nil)
            #expect(try tx.profile(named: "sf") != nil)
        }
        #expect(throws: StoreError.notFound(.flow, key: "f")) { try store.write { try $0.deleteFlow(named: "f") } }
    }
}
