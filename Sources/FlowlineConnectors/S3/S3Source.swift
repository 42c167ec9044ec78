import FlowlineCore
import FlowlineFormats

/// The S3 connector as a source: the CSV or JSON-lines objects under a bucket and prefix, read
/// in key order, one object after another, in batches.
///
/// The first object fixes the schema; later objects are aligned to it by field name (missing
/// fields are null, extra ones ignored). Lines that cannot be parsed come back as rejected
/// records naming the object and line.
public struct S3Source: RecordSource {
    public enum FileType: String, Sendable {
        case csv = "CSV"
        case json = "JSON"
    }

    public let root: S3Root
    public let bucket: String
    public let prefix: String
    public let fileType: FileType

    public init(root: S3Root, bucket: String, prefix: String, fileType: FileType) {
        self.root = root
        self.bucket = bucket
        self.prefix = prefix
        self.fileType = fileType
    }

    public var appliesWindow: Bool { false }

    public func schema() async throws -> Schema {
        guard let first = try objects().first else { throw S3SourceError.noObjects(bucket: bucket, prefix: prefix) }
        return try openReader(first).schema
    }

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let cursor = Cursor(source: self, request: request)
        return AsyncThrowingStream(unfolding: { try cursor.next() })
    }

    func objects() throws -> [S3ObjectListing.Object] {
        try S3ObjectListing.list(root: root, bucket: bucket, prefix: prefix)
    }

    func openReader(_ object: S3ObjectListing.Object) throws -> any ObjectRecordReader {
        do {
            switch fileType {
            case .csv: return try CSVReader(path: object.path)
            case .json: return try JSONLinesReader(path: object.path)
            }
        } catch {
            throw S3SourceError.unreadable(key: object.key, reason: "\(error)")
        }
    }

    /// Walks the objects one chunk at a time; pulled by the runner, so reading never runs ahead.
    final class Cursor: @unchecked Sendable {
        // @unchecked: AsyncThrowingStream(unfolding:) calls `next` one call at a time.
        let source: S3Source
        let request: ReadRequest
        var objects: [S3ObjectListing.Object]?
        var index = 0
        var reader: (any ObjectRecordReader)?
        /// Bytes of the current object already counted in earlier chunks.
        var countedBytes: Int64 = 0
        var aligner: SchemaAligner?
        var schema: Schema?
        var position = ResumePosition(key: "", goodRows: 0, badRows: 0)
        var skip = ResumePosition(key: "", goodRows: 0, badRows: 0)

        init(source: S3Source, request: ReadRequest) {
            self.source = source
            self.request = request
        }

        func next() throws -> SourceChunk? {
            if objects == nil { try start() }
            while let objects, index < objects.count {
                let object = objects[index]
                if reader == nil { try open(object) }
                guard let chunk = try reader!.next(maxRows: request.batchSize) else {
                    reader = nil
                    index += 1
                    continue
                }
                var batch = chunk.batch
                var malformed = chunk.malformedRows
                // Resuming a capped run: drop what that run already transferred from this object.
                if skip.key == object.key, skip.goodRows > 0 || skip.badRows > 0 {
                    var rows = batch.rows
                    let g = min(skip.goodRows, rows.count), b = min(skip.badRows, malformed.count)
                    rows.removeFirst(g); malformed.removeFirst(b)
                    skip.goodRows -= g; skip.badRows -= b
                    position.goodRows += g; position.badRows += b
                    batch = RecordBatch(schema: batch.schema, rows: rows)
                }
                position.goodRows += batch.count
                position.badRows += malformed.count
                // A stretch wholly transferred by the capped run being resumed: skip it, uncounted.
                if batch.isEmpty, malformed.isEmpty, !chunk.batch.isEmpty || !chunk.malformedRows.isEmpty {
                    countedBytes = reader!.bytesRead
                    continue
                }
                batch = try aligner!.align(batch)
                let rejected = malformed.map {
                    RejectedRecord(location: "s3://\(source.bucket)/\(object.key) line \($0.line)", values: [$0.raw], reason: $0.reason)
                }
                let bytes = reader!.bytesRead - countedBytes
                countedBytes = reader!.bytesRead
                return SourceChunk(batch: batch, rejected: rejected, bytesRead: bytes, resumeToken: position.token)
            }
            return nil
        }

        private func start() throws {
            let list = try source.objects()
            guard let first = list.first else { throw S3SourceError.noObjects(bucket: source.bucket, prefix: source.prefix) }
            schema = try source.openReader(first).schema
            objects = list
            if let token = request.resumeToken {
                guard let p = ResumePosition(token: token), let at = list.firstIndex(where: { $0.key == p.key }) else {
                    throw S3SourceError.badResumeToken(request.resumeToken ?? "")
                }
                index = at
                skip = p
            }
        }

        private func open(_ object: S3ObjectListing.Object) throws {
            let r = try source.openReader(object)
            reader = r
            countedBytes = 0
            aligner = SchemaAligner(target: schema!, source: r.schema)
            position = ResumePosition(key: object.key, goodRows: 0, badRows: 0)
        }
    }
}

/// Where in the object list a run stopped: the object and how many of its rows were consumed.
struct ResumePosition: Equatable {
    var key: String
    var goodRows: Int
    var badRows: Int

    init(key: String, goodRows: Int, badRows: Int) {
        self.key = key
        self.goodRows = goodRows
        self.badRows = badRows
    }

    /// `good,bad:key` — the key last, since keys may contain any character.
    var token: String { "\(goodRows),\(badRows):\(key)" }

    init?(token: String) {
        guard let colon = token.firstIndex(of: ":") else { return nil }
        let counts = token[..<colon].split(separator: ",")
        guard counts.count == 2, let g = Int(counts[0]), let b = Int(counts[1]) else { return nil }
        self.init(key: String(token[token.index(after: colon)...]), goodRows: g, badRows: b)
    }
}
