// Runs one `start-flow` from a synchronous main: valgrind 3.19 dies on Swift's async main (dispatch_main).
import Foundation
import FlowlineAPI
import FlowlineService

let flow = CommandLine.arguments[1]
let done = DispatchSemaphore(value: 0)
Task.detached {
    do {
        let service = try AppFlowService(configuration: .fromEnvironment())   // the CLI default: runs in the foreground
        _ = try await service.handle(.startFlow, .object([(key: "flowName", value: .string(flow))]))
        print("started", flow)
    } catch {
        print("error", error)
    }
    done.signal()
}
done.wait()
