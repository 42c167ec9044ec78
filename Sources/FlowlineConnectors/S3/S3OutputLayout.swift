import Foundation
import FlowlineCore

/// Where a run's objects go: AppFlow's key layout under the destination bucket.
///
/// `bucketPrefix/flowName/[date path]/[executionId]/[schemaVersion]/[key=value partitions]/file`.
/// Without a `prefixConfig` the run's objects sit under `bucketPrefix/flowName/executionId/`, as
/// AppFlow puts them. `prefixType` PATH adds the run's start time as folders down to
/// `prefixFormat` (`2026/11/28/14`), FILENAME puts it in front of file names, PATH_AND_FILENAME does
/// both. `pathPrefixHierarchy` lists EXECUTION_ID and/or SCHEMA_VERSION folders in that order.
public struct S3OutputLayout: Sendable, Hashable {
    public enum FileType: String, Sendable {
        case csv = "CSV"
        case json = "JSON"
        case parquet = "PARQUET"

        var fileExtension: String {
            switch self {
            case .csv: return "csv"
            case .json: return "jsonl"
            case .parquet: return "parquet"
            }
        }
    }

    public enum PrefixType: String, Sendable { case filename = "FILENAME", path = "PATH", pathAndFilename = "PATH_AND_FILENAME" }
    public enum PrefixFormat: String, Sendable { case year = "YEAR", month = "MONTH", day = "DAY", hour = "HOUR", minute = "MINUTE" }

    public var bucket: String
    public var bucketPrefix: String
    public var fileType: FileType
    public var prefixType: PrefixType?
    public var prefixFormat: PrefixFormat?
    /// `EXECUTION_ID`, `SCHEMA_VERSION`; nil means AppFlow's default, the execution id.
    public var pathPrefixHierarchy: [String]?
    public var schemaVersion: Int

    public init(bucket: String, bucketPrefix: String = "", fileType: FileType, prefixType: PrefixType? = nil,
                prefixFormat: PrefixFormat? = nil, pathPrefixHierarchy: [String]? = nil, schemaVersion: Int = 1) {
        self.bucket = bucket
        self.bucketPrefix = bucketPrefix
        self.fileType = fileType
        self.prefixType = prefixType
        self.prefixFormat = prefixFormat
        self.pathPrefixHierarchy = pathPrefixHierarchy
        self.schemaVersion = schemaVersion
    }

    /// The folder (key prefix, no trailing slash) for one partition of a run.
    public func folder(flowName: String, executionId: String, startedAt: Int64, partition: [(String, Value)]) throws -> String {
        var parts = try S3Root.keyComponents(bucketPrefix)
        parts.append(flowName)
        if prefixType == .path || prefixType == .pathAndFilename {
            parts += datePath(startedAt)
        }
        for element in pathPrefixHierarchy ?? ["EXECUTION_ID"] {
            switch element {
            case "EXECUTION_ID": parts.append(executionId)
            case "SCHEMA_VERSION": parts.append(String(schemaVersion))
            default: break
            }
        }
        for (name, value) in partition {
            parts.append("\(Self.escape(name))=\(Self.partitionText(value))")
        }
        return parts.joined(separator: "/")
    }

    /// The n-th file name of a folder.
    public func fileName(index: Int, startedAt: Int64) -> String {
        var name = String(format: "part-%05d.%@", index, fileType.fileExtension)
        if prefixType == .filename || prefixType == .pathAndFilename {
            name = datePath(startedAt).joined(separator: "-") + "-" + name
        }
        return name
    }

    private func datePath(_ micros: Int64) -> [String] {
        let stamp = ValueFormat.timestampString(micros: micros)   // 2026-11-28T14:05:09Z
        let u = Array(stamp.utf8)
        func slice(_ a: Int, _ b: Int) -> String { String(decoding: u[a..<b], as: UTF8.self) }
        let all = [slice(0, 4), slice(5, 7), slice(8, 10), slice(11, 13), slice(14, 16)]
        let depth: Int
        switch prefixFormat ?? .day {
        case .year: depth = 1
        case .month: depth = 2
        case .day: depth = 3
        case .hour: depth = 4
        case .minute: depth = 5
        }
        return Array(all.prefix(depth))
    }

    /// Hive-style partition value text; readers such as pyarrow and DuckDB map the default
    /// partition name back to null.
    static func partitionText(_ value: Value) -> String {
        guard let text = value.text else { return "__HIVE_DEFAULT_PARTITION__" }
        return text.isEmpty ? "__HIVE_DEFAULT_PARTITION__" : escape(text)
    }

    /// Percent-escapes what cannot stand in one path component.
    static func escape(_ text: String) -> String {
        if text == "." || text == ".." { return String(repeating: "%2E", count: text.count) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "="), 0..<32, 127:
                out += Array(String(format: "%%%02X", b).utf8)
            default:
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
