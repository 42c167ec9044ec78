import Hummingbird
import NIOCore

/// The request context of `flowline serve`: Hummingbird's core context plus the connection, so a
/// responder knows the client's address (sign-in rate limits) and can stop reading a request it
/// refuses (an unauthenticated body is never read).
struct FlowlineRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The client's IP address, or "unknown".
    var clientAddress: String { channel.remoteAddress?.ipAddress ?? "unknown" }

    /// Stops reading the request: whatever body the client still sends is not read (nor waited
    /// for), and the connection closes once the response is written.
    func stopReading() {
        channel.close(mode: .input, promise: nil)
    }
}
