import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore

extension AppFlowService {
    func makeS3Source(_ config: AppFlow.SourceFlowConfig) throws(AppFlowError) -> any RecordSource {
        if let s3 = config.sourceConnectorProperties.S3 {
            let type: S3Source.FileType = s3.s3InputFormatConfig?.s3InputFileType == .json ? .json : .csv
            return S3Source(root: configuration.s3Root, bucket: s3.bucketName, prefix: s3.bucketPrefix ?? "", fileType: type)
        }
        throw .validation("sourceFlowConfig.sourceConnectorProperties.S3 is required for an S3 source")
    }

    func makeS3Destination(_ config: AppFlow.DestinationFlowConfig, schemaVersion: Int) throws(AppFlowError) -> any RecordDestination {
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
        throw .validation("destinationConnectorProperties.S3 is required for an S3 destination")
    }
}
