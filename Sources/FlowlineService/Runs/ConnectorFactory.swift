import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore

/// Builds the runtime connectors a flow's configuration names.
extension AppFlowService {
    func makeSource(_ config: AppFlow.SourceFlowConfig) throws(AppFlowError) -> any RecordSource {
        if let s3 = config.sourceConnectorProperties.S3 {
            let type: S3Source.FileType = s3.s3InputFormatConfig?.s3InputFileType == .json ? .json : .csv
            return S3Source(root: configuration.s3Root, bucket: s3.bucketName, prefix: s3.bucketPrefix ?? "", fileType: type)
        }
        throw .validation("Flows from \(config.connectorType.rawValue) cannot run in this build of Flowline yet; only S3 sources can")
    }

    func makeDestination(_ config: AppFlow.DestinationFlowConfig, schemaVersion: Int) throws(AppFlowError) -> any RecordDestination {
        if let s3 = config.destinationConnectorProperties.S3 {
            let format = s3.s3OutputFormatConfig
            let fileType: S3OutputLayout.FileType
            switch format?.fileType {
            case .csv: fileType = .csv
            case .parquet: fileType = .parquet
            case .json, nil: fileType = .json
            }
            let prefix = format?.prefixConfig
            let layout = S3OutputLayout(
                bucket: s3.bucketName, bucketPrefix: s3.bucketPrefix ?? "", fileType: fileType,
                prefixType: prefix?.prefixType.flatMap { S3OutputLayout.PrefixType(rawValue: $0.rawValue) },
                prefixFormat: prefix?.prefixFormat.flatMap { S3OutputLayout.PrefixFormat(rawValue: $0.rawValue) },
                pathPrefixHierarchy: prefix?.pathPrefixHierarchy?.map(\.rawValue), schemaVersion: schemaVersion)
            let aggregation: S3Destination.Aggregation
            if format?.aggregationConfig?.aggregationType == .singleFile {
                aggregation = .singleFile(targetMegabytes: format?.aggregationConfig?.targetFileSize)
            } else {
                aggregation = .none
            }
            // AppFlow writes Parquet with source types only when asked; CSV and JSON carry text anyway.
            let preserve = fileType == .parquet ? (format?.preserveSourceDataTyping ?? false) : true
            return S3Destination(root: configuration.s3Root, layout: layout, aggregation: aggregation, preserveTypes: preserve)
        }
        throw .validation("Flows to \(config.connectorType.rawValue) cannot run in this build of Flowline yet; only S3 destinations can")
    }

    /// The source's fields when they can be known without side effects (an S3 bucket that
    /// already holds objects); nil when not, and then tasks are checked again when the flow runs.
    func knownSourceSchema(_ config: AppFlow.SourceFlowConfig) async -> Schema? {
        guard config.sourceConnectorProperties.S3 != nil, let source = try? makeSource(config) else { return nil }
        return try? await source.schema()
    }
}
