import Foundation
import FlowlineAPI
import FlowlineStore

extension AppFlowService {
    /// How long a `clientToken` keeps answering with its first response (AppFlow: 8 hours).
    static let idempotencyWindow: TimeInterval = 8 * 3600

    /// The response an earlier call with the same client token got, if it is still fresh.
    func idempotentResponse<T: StructureShape>(_ operation: AppFlow.Operation, _ token: String) throws(AppFlowError) -> T? {
        let record = try read { tx in try tx.idempotencyRecord(operation: operation.rawValue, clientToken: token) }
        guard let record, now.timeIntervalSince(record.createdAt) < Self.idempotencyWindow else { return nil }
        return try T(json: JSONValue.parse(record.response), at: ShapePath())
    }
}
