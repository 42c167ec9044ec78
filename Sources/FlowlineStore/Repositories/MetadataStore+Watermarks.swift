import Foundation

/// A flow's last committed incremental watermark and the execution that committed it.
public struct WatermarkRecord: Sendable, Equatable {
    public var flowName: String
    /// Microseconds since the Unix epoch.
    public var watermark: Int64
    public var executionId: String
    public var updatedAt: Date

    public init(flowName: String, watermark: Int64, executionId: String, updatedAt: Date) {
        self.flowName = flowName
        self.watermark = watermark
        self.executionId = executionId
        self.updatedAt = updatedAt
    }
}

extension ReadTransaction {
    public func watermark(flowName: String) throws -> WatermarkRecord? {
        try query("SELECT watermark, execution_id, updated_at FROM flow_watermarks WHERE flow_name = ?",
                  [.text(flowName)]).first.map { row in
            WatermarkRecord(flowName: flowName, watermark: try row.int64("watermark"),
                            executionId: try row.text("execution_id"), updatedAt: try row.date("updated_at"))
        }
    }
}

extension WriteTransaction {
    /// Records the flow's watermark. Call it in the same `write` as the execution's final
    /// `updateExecution`, so the two commit together.
    public func setWatermark(_ watermark: WatermarkRecord) throws {
        guard try flow(named: watermark.flowName) != nil else {
            throw StoreError.notFound(.flow, key: watermark.flowName)
        }
        try run("""
            INSERT INTO flow_watermarks (flow_name, watermark, execution_id, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (flow_name) DO UPDATE SET watermark = excluded.watermark,
                execution_id = excluded.execution_id, updated_at = excluded.updated_at
            """, [.text(watermark.flowName), .integer(watermark.watermark), .text(watermark.executionId),
                  .timestamp(watermark.updatedAt)])
    }
}
