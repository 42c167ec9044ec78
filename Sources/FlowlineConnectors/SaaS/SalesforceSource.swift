import FlowlineAPI
import FlowlineCore

/// A Salesforce object as a flow source, read with SOQL through the REST query resource.
/// The projection, the pushable filters and the incremental window become the query.
public struct SalesforceSource: RecordSource {
    public let api: SalesforceAPI
    public let object: String
    public let includeDeletedRecords: Bool
    /// The filters of the flow's tasks against the object's schema (the plan applies them again).
    public let pushdown: @Sendable (Schema) -> [FilterCriterion]

    public init(api: SalesforceAPI, object: String, includeDeletedRecords: Bool,
                pushdown: @escaping @Sendable (Schema) -> [FilterCriterion] = { _ in [] }) {
        self.api = api
        self.object = object
        self.includeDeletedRecords = includeDeletedRecords
        self.pushdown = pushdown
    }

    public var appliesWindow: Bool { true }

    public func schema() async throws -> Schema {
        Schema(saasFields: try await api.fields(of: object))
    }

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let api = self.api, object = self.object, deleted = includeDeletedRecords, pushdown = self.pushdown
        return LazyChunks.stream {
            try QueryNames.checkObject(object, service: "Salesforce")
            let all = try await api.fields(of: object)
            let fields = try projectedFields(all, projection: request.projection, service: "Salesforce", entity: object)
            try QueryNames.checkFields(fields, window: request.window, described: all, object: object, service: "Salesforce")
            let soql = SOQLBuilder(object: object, fields: fields, allFields: all)
                .soql(filters: pushdown(Schema(saasFields: all)), window: request.window)
            return RESTRecordStream(session: api.session, first: api.queryCall(soql, includeDeleted: deleted, batchSize: request.batchSize),
                                    paginator: SalesforcePaginator(instanceURL: api.instanceURL),
                                    selector: KeyPathSelector("records"),
                                    converter: JSONRecordConverter(schema: Schema(saasFields: fields)), recordsKey: "records")
        }
    }
}

/// A chunk stream whose setup (metadata calls) happens when the runner first pulls.
enum LazyChunks {
    static func stream(_ make: @escaping @Sendable () async throws -> RESTRecordStream) -> AsyncThrowingStream<SourceChunk, Error> {
        let box = LazyIterator(make)
        return AsyncThrowingStream(unfolding: { try await box.next() })
    }

    final class LazyIterator: @unchecked Sendable {
        // @unchecked: AsyncThrowingStream(unfolding:) calls `next` one call at a time.
        let make: @Sendable () async throws -> RESTRecordStream
        var inner: AsyncThrowingStream<SourceChunk, Error>.AsyncIterator?

        init(_ make: @escaping @Sendable () async throws -> RESTRecordStream) { self.make = make }

        func next() async throws -> SourceChunk? {
            if inner == nil { inner = try await make().chunks().makeAsyncIterator() }
            return try await inner!.next()
        }
    }
}
