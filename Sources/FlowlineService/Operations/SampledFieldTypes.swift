import FlowlineAPI
import FlowlineConnectors
import FlowlineCore

/// A source field with the type its source reports and the type its first values suggest
/// (the same for typed sources; for CSV text, what `FieldTypeSampler` makes of the values).
public struct SampledField: Sendable, Equatable {
    public var name: String
    public var sourceType: FieldType
    public var sampledType: FieldType

    public init(name: String, sourceType: FieldType, sampledType: FieldType) {
        self.name = name
        self.sourceType = sourceType
        self.sampledType = sampledType
    }
}

extension AppFlowService {
    /// Records read to guess the types of an S3 source's text fields.
    public static let fieldSampleRecords = 1000

    /// The fields of the S3 objects `entity` names (`bucket` or `bucket/prefix`, as in
    /// describe-connector-entity), read from the first objects' records: the console's wizard uses
    /// the guessed types to compare numbers as numbers and to type Parquet columns.
    public func sampleS3Fields(entity: String, fileType: String, records: Int = fieldSampleRecords) async throws(AppFlowError) -> [SampledField] {
        let slash = entity.firstIndex(of: "/")
        let bucket = slash.map { String(entity[..<$0]) } ?? entity
        let prefix = slash.map { String(entity[entity.index(after: $0)...]) } ?? ""
        let source = S3Source(root: configuration.s3Root, bucket: bucket, prefix: prefix, fileType: fileType == "JSON" ? .json : .csv)
        do {
            let schema = try await source.schema()
            var samplers = Array(repeating: FieldTypeSampler(), count: schema.fields.count)
            var seen = 0
            for try await chunk in source.read(ReadRequest(batchSize: records)) {
                let batch = chunk.batch
                let positions = batch.schema.fields.map { schema.index(of: $0.name) }
                for row in batch.rows.prefix(records - seen) {
                    for (i, value) in row.enumerated() { if let at = positions[i] { samplers[at].add(value) } }
                }
                seen += batch.count
                if seen >= records { break }
            }
            return schema.fields.enumerated().map { i, field in
                SampledField(name: field.name, sourceType: field.type, sampledType: field.type == .string ? samplers[i].type : field.type)
            }
        } catch {
            throw .notFound("Entity \(entity): \(error)")
        }
    }
}
