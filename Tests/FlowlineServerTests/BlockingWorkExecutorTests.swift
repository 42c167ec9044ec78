import Foundation
import Testing
import FlowlineService

/// Task code given the blocking-work executor runs on its own threads, not Swift's cooperative
/// pool, including the child tasks it starts.
@Suite struct BlockingWorkExecutorTests {
    @Test func preferredTasksRunOnTheExecutorsThreads() async {
        let executor = BlockingWorkExecutor(threads: 2, name: "blocktest")
        let names = await withTaskExecutorPreference(executor) {
            var names = [threadName()]
            await withTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { threadName() } }
                for await name in group { names.append(name) }
            }
            return names
        }
        #expect(names.count == 9)
        #expect(names.allSatisfy { $0.hasPrefix("blocktest-") }, "\(names)")
        // Without the preference, the same code runs elsewhere.
        let elsewhere = await Task.detached { threadName() }.value
        #expect(!elsewhere.hasPrefix("blocktest-"))
    }
}

/// The current thread's name (a synchronous function, as `Thread.current` is off limits in async code).
private func threadName() -> String { Thread.current.name ?? "" }
