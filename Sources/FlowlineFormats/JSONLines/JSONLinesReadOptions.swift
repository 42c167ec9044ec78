import FlowlineCore

/// How `JSONLinesReader` reads a file.
public struct JSONLinesReadOptions: Sendable {
    /// How many objects the schema is inferred from (keys first seen later are ignored).
    public var inferenceRows: Int
    /// A known schema; when set, nothing is inferred and values are converted to its types.
    public var schema: Schema?
    /// Bytes requested per `read(2)`.
    public var chunkSize: Int
    /// Longest line accepted; a longer one is a `MalformedRow` and is skipped without being
    /// held in memory whole.
    public var maxLineBytes: Int
    /// How much of a malformed line's text is kept in `MalformedRow.raw`.
    public var maxRawBytes: Int

    public init(inferenceRows: Int = 1000, schema: Schema? = nil, chunkSize: Int = 1 << 20,
                maxLineBytes: Int = 64 << 20, maxRawBytes: Int = 256) {
        self.inferenceRows = inferenceRows
        self.schema = schema
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
        self.maxRawBytes = maxRawBytes
    }
}
