import Hummingbird
import NIOCore

/// Reads a request's whole body within a size limit and a deadline, so a client that sends a body
/// slowly (a byte now and then, each one resetting the idle timer) cannot hold a connection open.
enum RequestBodyReader {
    enum Failure: Error {
        case tooLarge
        case tooSlow
    }

    static func collect(_ request: Request, upTo maxBytes: Int, within deadline: Duration,
                        context: FlowlineRequestContext) async throws(Failure) -> [UInt8] {
        let body = request.body
        do {
            return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask { Array(buffer: try await body.collect(upTo: maxBytes)) }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let bytes = first else {
                    // Ends the body's sequence, so the reading task returns and the group can finish.
                    context.stopReading()
                    throw Failure.tooSlow
                }
                return bytes
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            context.stopReading()
            throw .tooLarge
        }
    }
}
