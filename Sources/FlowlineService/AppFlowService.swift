import Foundation
import FlowlineAPI
import FlowlineStore

/// One implementation of every AppFlow operation, shared by the CLI and the HTTP server.
///
/// Transports hand over the request as JSON and get back the response shape; they choose how
/// to print timestamps (the CLI as ISO 8601, the wire as epoch seconds).
public final class AppFlowService: Sendable {
    public let configuration: ServiceConfiguration
    let store: MetadataStore
    let progress: (@Sendable (String, RunProgress) -> Void)?

    public init(configuration: ServiceConfiguration,
                progress: (@Sendable (String, RunProgress) -> Void)? = nil) throws(AppFlowError) {
        self.configuration = configuration
        self.progress = progress
        do {
            store = try MetadataStore(home: configuration.home)
        } catch {
            throw .internalServer("Cannot open the Flowline store in \(configuration.home.url.path): \(error)")
        }
    }

    /// Decodes, validates and performs one operation.
    public func handle(_ operation: AppFlow.Operation, _ input: JSONValue) async throws(AppFlowError) -> any ShapeValue {
        switch operation {
        case .createConnectorProfile: return try await createConnectorProfile(decode(input))
        case .describeConnectorProfiles: return try describeConnectorProfiles(decode(input))
        case .updateConnectorProfile: return try await updateConnectorProfile(decode(input))
        case .deleteConnectorProfile: return try deleteConnectorProfile(decode(input))
        case .createFlow: return try await createFlow(decode(input))
        case .describeFlow: return try describeFlow(decode(input))
        case .listFlows: return try listFlows(decode(input))
        case .updateFlow: return try await updateFlow(decode(input))
        case .deleteFlow: return try deleteFlow(decode(input))
        case .tagResource: return try tagResource(decode(input))
        case .untagResource: return try untagResource(decode(input))
        case .listTagsForResource: return try listTagsForResource(decode(input))
        case .describeConnectors: return try describeConnectors(decode(input))
        case .listConnectors: return try listConnectors(decode(input))
        case .describeConnector: return try describeConnector(decode(input))
        case .listConnectorEntities: return try await listConnectorEntities(decode(input))
        case .describeConnectorEntity: return try await describeConnectorEntity(decode(input))
        case .startFlow: return try await startFlow(decode(input))
        case .stopFlow: return try stopFlow(decode(input))
        case .describeFlowExecutionRecords: return try describeFlowExecutionRecords(decode(input))
        case .cancelFlowExecutions: return try cancelFlowExecutions(decode(input))
        case .resetConnectorMetadataCache:
            let _: AppFlow.ResetConnectorMetadataCacheRequest = try decode(input)
            // Flowline reads connector metadata fresh each time: there is no cache to reset.
            return AppFlow.ResetConnectorMetadataCacheResponse()
        case .registerConnector, .unregisterConnector, .updateConnectorRegistration:
            throw .validation("Custom connectors (\(operation.rawValue)) are not supported by Flowline; see `flowline list-connectors` for the built-in ones")
        }
    }

    func decode<T: StructureShape>(_ input: JSONValue) throws(AppFlowError) -> T {
        let request = try T(json: input, at: ShapePath())
        try request.validate()
        return request
    }

    var now: Date { Date() }

    /// Runs a store call, turning its errors into the API's vocabulary.
    func stored<T>(_ body: () throws -> T) throws(AppFlowError) -> T {
        do {
            return try body()
        } catch let error as AppFlowError {
            throw error
        } catch let error as StoreError {
            throw StoreErrorMapping.appFlowError(error)
        } catch {
            throw .internalServer("Flowline store error: \(error)")
        }
    }

    func read<T>(_ body: (ReadTransaction) throws -> T) throws(AppFlowError) -> T {
        try stored { try store.read(body) }
    }

    func write<T>(_ body: (WriteTransaction) throws -> T) throws(AppFlowError) -> T {
        try stored { try store.write(body) }
    }
}
