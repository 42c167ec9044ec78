import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore

/// Builds the runtime connectors a flow's configuration names.
extension AppFlowService {
    /// The source a flow's configuration names. Each connector's builder lives in its own
    /// `ConnectorFactory+<Connector>.swift`; add a case here when adding one.
    func makeSource(_ config: AppFlow.SourceFlowConfig) throws(AppFlowError) -> any RecordSource {
        switch config.connectorType {
        case .s3: return try makeS3Source(config)
        case let type where Self.saasTypes.contains(type): return try makeSaaSSource(config)
        default:
            throw .validation("Flows from \(config.connectorType.rawValue) cannot run in this build of Flowline yet")
        }
    }

    func makeDestination(_ config: AppFlow.DestinationFlowConfig, schemaVersion: Int) throws(AppFlowError) -> any RecordDestination {
        switch config.connectorType {
        case .s3: return try makeS3Destination(config, schemaVersion: schemaVersion)
        case .redshift: return try makeRedshiftDestination(config)
        default:
            throw .validation("Flows to \(config.connectorType.rawValue) cannot run in this build of Flowline yet")
        }
    }

    /// The source's fields when they can be known without side effects (an S3 bucket that
    /// already holds objects); nil when not, and then tasks are checked again when the flow runs.
    func knownSourceSchema(_ config: AppFlow.SourceFlowConfig) async -> Schema? {
        guard config.sourceConnectorProperties.S3 != nil, let source = try? makeSource(config) else { return nil }
        return try? await source.schema()
    }
}
