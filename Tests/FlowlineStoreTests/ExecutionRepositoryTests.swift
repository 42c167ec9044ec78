import Foundation
import Testing
@testable import FlowlineStore

@Suite struct ExecutionRepositoryTests {
    func storeWithFlow(_ temp: TemporaryHome) throws -> MetadataStore {
        let store = try temp.openStore()
        try store.write { tx throws in
            try tx.insertFlow(sampleFlow("f"))
            try tx.insertFlow(sampleFlow("g"))
        }
        return store
    }

    @Test func insertUpdateGet() throws {
        let temp = TemporaryHome()
        let store = try storeWithFlow(temp)
        var execution = sampleExecution("e1", flow: "f", startedAt: date(1))
        try store.write { try $0.insertExecution(execution) }
        #expect(try store.read { try $0.execution(id: "e1") } == execution)
        execution.status = .successful
        execution.lastUpdatedAt = date(9)
        execution.dataPullStartTime = date(-100)
        execution.dataPullEndTime = date(0)
        execution.recordsProcessed = 1_000_000
        execution.bytesProcessed = 5_000_000_000
        execution.bytesWritten = 4_000_000_000
        execution.putFailuresCount = 2
        execution.executionMessage = "done"
        execution.watermark = 1_700_000_000_000_000
        execution.resumeToken = "page-42"
        try store.write { try $0.updateExecution(execution) }
        #expect(try store.read { try $0.execution(id: "e1") } == execution)
        #expect(throws: StoreError.duplicate(.execution, key: "e1")) {
            try store.write { try $0.insertExecution(sampleExecution("e1", flow: "f", startedAt: date(2))) }
        }
        #expect(throws: StoreError.notFound(.flow, key: "nope")) {
            try store.write { try $0.insertExecution(sampleExecution("e2", flow: "nope", startedAt: date(2))) }
        }
        #expect(throws: StoreError.notFound(.execution, key: "e9")) {
            try store.write { try $0.updateExecution(sampleExecution("e9", flow: "f", startedAt: date(2))) }
        }
    }

    @Test func listIsNewestFirstWithPagingAcrossEqualStartTimes() throws {
        let temp = TemporaryHome()
        let store = try storeWithFlow(temp)
        try store.write { tx throws in
            // Two runs share a start time: the id breaks the tie, and paging must not skip either.
            for (id, second) in [("a", 1), ("b", 3), ("c", 3), ("d", 2), ("e", 5)] {
                try tx.insertExecution(sampleExecution(id, flow: "f", startedAt: date(second)))
            }
            try tx.insertExecution(sampleExecution("other", flow: "g", startedAt: date(4)))
        }
        var ids: [String] = []
        var token: String?
        repeat {
            let page = try store.read { try $0.listExecutions(flowName: "f", maxResults: 2, nextToken: token) }
            ids += page.items.map(\.executionId)
            token = page.nextToken
        } while token != nil
        #expect(ids == ["e", "c", "b", "d", "a"])
        // A token for one flow's listing is refused for another's.
        let page = try store.read { try $0.listExecutions(flowName: "f", maxResults: 1) }
        #expect(throws: StoreError.invalidNextToken) {
            try store.read { try $0.listExecutions(flowName: "g", maxResults: 1, nextToken: page.nextToken) }
        }
    }

    @Test func inProgressListsOnlyRunningExecutionsOfTheFlow() throws {
        let temp = TemporaryHome()
        let store = try storeWithFlow(temp)
        try store.write { tx throws in
            try tx.insertExecution(sampleExecution("run", flow: "f", startedAt: date(1)))
            try tx.insertExecution(sampleExecution("cancelling", flow: "f", startedAt: date(2), status: .cancelStarted))
            try tx.insertExecution(sampleExecution("done", flow: "f", startedAt: date(3), status: .successful))
            try tx.insertExecution(sampleExecution("failed", flow: "f", startedAt: date(4), status: .error))
            try tx.insertExecution(sampleExecution("elsewhere", flow: "g", startedAt: date(5)))
        }
        let running = try store.read { try $0.inProgressExecutions(flowName: "f") }
        #expect(running.map(\.executionId) == ["cancelling", "run"])
        #expect(running.allSatisfy { $0.runnerProcessId == getpid() && $0.runnerHost == "localhost" })
    }

    @Test func watermarkCommitsWithTheFinalExecutionUpdateOrNotAtAll() throws {
        struct DestinationFailed: Error {}
        let temp = TemporaryHome()
        let store = try storeWithFlow(temp)
        var run = sampleExecution("e1", flow: "f", startedAt: date(1))
        try store.write { try $0.insertExecution(run) }
        #expect(try store.read { try $0.watermark(flowName: "f") } == nil)

        run.status = .successful
        run.watermark = 111
        let mark = WatermarkRecord(flowName: "f", watermark: 111, executionId: "e1", updatedAt: date(2))
        // A failure after both writes rolls both back.
        #expect(throws: DestinationFailed.self) {
            try store.write { tx throws in
                try tx.updateExecution(run)
                try tx.setWatermark(mark)
                throw DestinationFailed()
            }
        }
        #expect(try store.read { try $0.watermark(flowName: "f") } == nil)
        #expect(try store.read { try $0.execution(id: "e1")?.status } == .inProgress)

        try store.write { tx throws in
            try tx.updateExecution(run)
            try tx.setWatermark(mark)
        }
        #expect(try store.read { try $0.watermark(flowName: "f") } == mark)
        let later = WatermarkRecord(flowName: "f", watermark: 222, executionId: "e2", updatedAt: date(3))
        try store.write { try $0.setWatermark(later) }
        #expect(try store.read { try $0.watermark(flowName: "f") } == later)
        #expect(throws: StoreError.notFound(.flow, key: "nope")) {
            try store.write { try $0.setWatermark(WatermarkRecord(flowName: "nope", watermark: 1, executionId: "x",
                                                                  updatedAt: date(1))) }
        }
    }
}
