import Foundation
import FlowlineCore

/// The S3 connector as a destination: files in AppFlow's key layout under a local bucket,
/// staged outside the bucket and published all at once on commit.
public struct S3Destination: RecordDestination {
    /// AppFlow's `aggregationConfig`: `None` rolls files over at a default size, `SingleFile`
    /// writes one file per folder, or files of `targetFileSize` MB when that is given.
    public enum Aggregation: Sendable, Hashable {
        case none
        case singleFile(targetMegabytes: Int64?)
    }

    /// Where `None` aggregation starts a new file.
    public static let defaultFileBytes: Int64 = 128 << 20

    public let root: S3Root
    public let layout: S3OutputLayout
    public let aggregation: Aggregation
    public let preserveTypes: Bool

    public init(root: S3Root, layout: S3OutputLayout, aggregation: Aggregation = .none, preserveTypes: Bool = true) {
        self.root = root
        self.layout = layout
        self.aggregation = aggregation
        self.preserveTypes = preserveTypes
    }

    public func open(_ context: WriteContext) async throws -> any DestinationWriter {
        try root.checkNoLinks(bucket: layout.bucket, key: "")
        return try S3DestinationWriter(destination: self, context: context)
    }

    var rollBytes: Int64? {
        switch aggregation {
        case .none: return Self.defaultFileBytes
        case .singleFile(let mb): return mb.map { $0 * 1_000_000 }
        }
    }
}

/// Writes one run's files: one open file per partition folder, rolled over by size.
final class S3DestinationWriter: DestinationWriter, @unchecked Sendable {
    // @unchecked: the runner calls write/commit/abort one at a time from one task.
    private let destination: S3Destination
    private let context: WriteContext
    private let staged: StagedObjects
    private let partitionColumns: [Int]
    private let fileSchema: Schema
    private let keptColumns: [Int]
    private var open: [[Value]: OpenFile] = [:]
    private var fileCounts: [String: Int] = [:]
    private var finished: [(key: String, bytes: Int64)] = []
    private var records: Int64 = 0

    private final class OpenFile {
        let writer: any RecordFileWriter
        let key: String
        init(writer: any RecordFileWriter, key: String) {
            self.writer = writer
            self.key = key
        }
    }

    init(destination: S3Destination, context: WriteContext) throws {
        self.destination = destination
        self.context = context
        staged = try StagedObjects(root: destination.root, executionId: context.executionId)
        var partitions: [Int] = []
        for name in context.partitionKeys {
            guard let i = context.schema.index(of: name) else { throw S3DestinationError.unknownPartitionKey(name) }
            partitions.append(i)
        }
        partitionColumns = partitions
        // Partition values live in the folder names (Hive style), not in the files.
        keptColumns = context.schema.fields.indices.filter { !partitions.contains($0) }
        fileSchema = Schema(keptColumns.map { context.schema.fields[$0] })
    }

    func write(_ batch: RecordBatch) async throws {
        if partitionColumns.isEmpty {
            var file = batch   // columnar or rows, as it came
            file.schema = fileSchema
            try append(file, partition: [])
            return
        }
        var groups: [[Value]: [[Value]]] = [:]
        var order: [[Value]] = []
        for row in batch.rows {
            let key = partitionColumns.map { row[$0] }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(keptColumns.map { row[$0] })
        }
        for key in order {
            try append(RecordBatch(schema: fileSchema, rows: groups[key]!), partition: key)
        }
    }

    private func append(_ batch: RecordBatch, partition: [Value]) throws {
        guard !batch.isEmpty else { return }
        let file = try openFile(partition)
        try file.writer.write(batch)
        records += Int64(batch.count)
        if let roll = destination.rollBytes, file.writer.approximateBytes >= roll {
            finished.append((file.key, try file.writer.finish()))
            open[partition] = nil
        }
    }

    private func openFile(_ partition: [Value]) throws -> OpenFile {
        if let file = open[partition] { return file }
        let layout = destination.layout
        let named = zip(context.partitionKeys, partition).map { ($0, $1) }
        let folder = try layout.folder(flowName: context.flowName, executionId: context.executionId,
                                       startedAt: context.startedAt, partition: named)
        let index = fileCounts[folder, default: 0]
        fileCounts[folder] = index + 1
        let key = folder + "/" + layout.fileName(index: index, startedAt: context.startedAt)
        let finalPath = try destination.root.objectPath(bucket: layout.bucket, key: key)
        try destination.root.checkNoLinks(bucket: layout.bucket, key: key)
        let writer = try RecordFileWriters.make(layout.fileType, path: staged.stage(finalPath: finalPath),
                                                schema: fileSchema, preserveTypes: destination.preserveTypes)
        let file = OpenFile(writer: writer, key: key)
        open[partition] = file
        return file
    }

    func commit() async throws -> WriteSummary {
        for (_, file) in open {
            finished.append((file.key, try file.writer.finish()))
        }
        open.removeAll()
        try staged.commit()
        let keys = finished.map { "s3://\(destination.layout.bucket)/\($0.key)" }.sorted()
        return WriteSummary(recordsWritten: records, bytesWritten: finished.reduce(0) { $0 + $1.bytes }, locations: keys)
    }

    func abort() async {
        open.removeAll()
        staged.abort()
    }
}

public enum S3DestinationError: Error, CustomStringConvertible {
    case unknownPartitionKey(String)

    public var description: String {
        switch self {
        case .unknownPartitionKey(let name): return "Partition key '\(name)' is not a field of the flow's output"
        }
    }
}
