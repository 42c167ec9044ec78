/// What one batch became after the plan: the records to deliver and the ones left behind.
public struct TaskOutput: Sendable {
    /// Records that passed the filters and validations, shaped like `TaskPlan.outputSchema`.
    public var batch: RecordBatch
    /// Records refused by a conversion or a `DropRecord` validation, in row order.
    public var rejected: [RejectedRecord]
    /// For each entry of `rejected`, its 0-based row index in the input batch.
    public var rejectedRows: [Int]
    /// How many records the filters left out (these are not rejections).
    public var filteredCount: Int

    public init(batch: RecordBatch, rejected: [RejectedRecord] = [], rejectedRows: [Int] = [], filteredCount: Int = 0) {
        self.batch = batch
        self.rejected = rejected
        self.rejectedRows = rejectedRows
        self.filteredCount = filteredCount
    }
}
