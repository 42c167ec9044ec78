import Foundation
import FlowlineAPI

/// The README's first command: a small CRM data set in the local S3 root, a flow that turns it
/// into Parquet with a filter, a merge, a mask and a truncate, and one run of it.
public enum Quickstart {
    public static let bucket = "flowline-quickstart"
    public static let flowName = "quickstart-accounts-to-parquet"
    public static let sourcePrefix = "crm/accounts/"

    /// Writes the sample objects unless they are there already; returns their keys.
    @discardableResult
    public static func writeSampleData(s3Root: String, rows: Int = 2_000) throws -> [String] {
        let dir = URL(fileURLWithPath: s3Root).appendingPathComponent(bucket).appendingPathComponent(sourcePrefix)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var keys: [String] = []
        let perFile = (rows + 1) / 2
        for part in 0..<2 {
            let name = "accounts-\(part + 1).csv"
            keys.append(sourcePrefix + name)
            let file = dir.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: file.path) { continue }
            let range = (part * perFile)..<min(rows, (part + 1) * perFile)
            try Data(SampleAccounts.csv(range).utf8).write(to: file, options: .atomic)
        }
        return keys
    }

    /// The flow's definition, as a user would pass it to `create-flow --cli-input-json`.
    public static func createFlowRequest() -> JSONValue {
        func task(_ type: String, _ fields: [String], _ op: String, _ dest: String? = nil, _ props: [(String, String)] = []) -> JSONValue {
            var m: JSONValue.Members = [("sourceFields", .array(fields.map { .string($0) })),
                                        ("connectorOperator", .object([("S3", .string(op))]))]
            if let dest { m.append(("destinationField", .string(dest))) }
            m.append(("taskType", .string(type)))
            m.append(("taskProperties", .object(props.map { ($0.0, .string($0.1)) })))
            return .object(m)
        }
        let fields = ["Id", "Name", "FirstName", "LastName", "Phone", "Industry", "AnnualRevenue", "Description", "LastModifiedDate"]
        let tasks: [JSONValue] = [
            task("Filter", fields, "PROJECTION"),
            task("Filter", ["AnnualRevenue"], "GREATER_THAN", nil, [("DATA_TYPE", "double"), ("VALUE", "250000")]),
            task("Map", ["Id"], "NO_OP", "Id", [("SOURCE_DATA_TYPE", "string"), ("DESTINATION_DATA_TYPE", "integer")]),
            task("Map", ["Name"], "NO_OP", "Name"),
            task("Merge", ["FirstName", "LastName"], "NO_OP", "ContactName", [("CONCAT_FORMAT", "${FirstName} ${LastName}")]),
            task("Map", ["Phone"], "NO_OP", "Phone"),
            task("Mask", ["Phone"], "MASK_FIRST_N", "Phone", [("MASK_LENGTH", "8"), ("MASK_VALUE", "*")]),
            task("Map", ["Industry"], "NO_OP", "Industry"),
            task("Map", ["AnnualRevenue"], "NO_OP", "AnnualRevenue", [("SOURCE_DATA_TYPE", "string"), ("DESTINATION_DATA_TYPE", "decimal")]),
            task("Map", ["Description"], "NO_OP", "Description"),
            task("Truncate", ["Description"], "NO_OP", "Description", [("TRUNCATE_LENGTH", "40")]),
            task("Map", ["LastModifiedDate"], "NO_OP", "LastModifiedDate", [("SOURCE_DATA_TYPE", "string"), ("DESTINATION_DATA_TYPE", "datetime")]),
        ]
        return .object([
            ("flowName", .string(flowName)),
            ("description", .string("Quickstart - CRM accounts from CSV to Parquet, filtered, merged, masked and truncated")),
            ("triggerConfig", .object([("triggerType", .string("OnDemand"))])),
            ("sourceFlowConfig", .object([
                ("connectorType", .string("S3")),
                ("sourceConnectorProperties", .object([("S3", .object([
                    ("bucketName", .string(bucket)), ("bucketPrefix", .string(sourcePrefix)),
                    ("s3InputFormatConfig", .object([("s3InputFileType", .string("CSV"))])),
                ]))])),
            ])),
            ("destinationFlowConfigList", .array([.object([
                ("connectorType", .string("S3")),
                ("destinationConnectorProperties", .object([("S3", .object([
                    ("bucketName", .string(bucket)), ("bucketPrefix", .string("warehouse")),
                    ("s3OutputFormatConfig", .object([
                        ("fileType", .string("PARQUET")), ("preserveSourceDataTyping", .bool(true)),
                        ("aggregationConfig", .object([("aggregationType", .string("SingleFile"))])),
                    ])),
                ]))])),
            ])])),
            ("tasks", .array(tasks)),
        ])
    }
}

/// Deterministic CRM-like accounts: quotes, commas, newlines and non-ASCII in text, empty and
/// missing values, decimals and ISO timestamps.
enum SampleAccounts {
    static let industries = ["Banking", "Retail", "Energy", "Biotech", "Media, Film & TV", "Éducation", ""]
    static let first = ["Ana", "Björn", "Chloé", "Dmitri", "Eşref", "Fatima", "Grace", "Hiro"]
    static let last = ["O'Neil", "Müller", "Núñez", "Smith", "Østergaard", "Kowalski", "Lee", "Zhang"]

    static func csv(_ range: Range<Int>) -> String {
        var out = "Id,Name,FirstName,LastName,Phone,Industry,AnnualRevenue,Description,LastModifiedDate\n"
        for i in range {
            let name = i % 11 == 0 ? "\"Acme \"\"Best\"\" Corp #\(i)\"" : "Company \(i)"
            let industry = industries[i % industries.count]
            let industryField = industry.contains(",") ? "\"\(industry)\"" : (industry.isEmpty ? "\"\"" : industry)
            let revenue = i % 13 == 0 ? "" : String(format: "%d.%02d", (i * 7919) % 900_000 + 10_000, i % 100)
            let description = i % 5 == 0 ? "\"Key account,\nrenewal due; notes: \(String(repeating: "x", count: i % 60))\"" : "Account \(i) notes"
            let stamp = String(format: "2026-%02d-%02dT%02d:%02d:00Z", i % 12 + 1, i % 28 + 1, i % 24, i % 60)
            out += "\(i + 1),\(name),\(first[i % first.count]),\(last[(i / 3) % last.count]),+1-555-\(String(format: "%07d", i)),"
            out += "\(industryField),\(revenue),\(description),\(stamp)\n"
        }
        return out
    }
}
