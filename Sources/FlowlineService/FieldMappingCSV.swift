import FlowlineAPI
import FlowlineConnectors

/// The console's "upload a CSV of source,destination pairs" as API tasks: one projection of the
/// source fields, then one `Map` task per pair.
public enum FieldMappingCSV {
    public static func tasks(fromCSV text: String, sourceConnectorType: String) throws(AppFlowError) -> [AppFlow.Task] {
        guard let caps = ConnectorCatalog.capabilities(of: sourceConnectorType) else {
            throw .validation("Connector type \(sourceConnectorType) is not supported")
        }
        var pairs: [(String, String)] = []
        for (n, line) in try rows(text).enumerated() {
            if line.allSatisfy({ $0.isEmpty }) { continue }
            guard line.count == 2, !line[0].isEmpty, !line[1].isEmpty else {
                throw .validation("Field mapping CSV row \(n + 1): expected 'source,destination', got \(line.count) field(s)")
            }
            if n == 0, line[0].lowercased() == "source", line[1].lowercased() == "destination" { continue }
            pairs.append((line[0], line[1]))
        }
        guard !pairs.isEmpty else { throw .validation("The field mapping CSV has no source,destination pairs") }
        let op = try connectorOperator(caps.propertiesKey, "NO_OP")
        let projection = try connectorOperator(caps.propertiesKey, "PROJECTION")
        var tasks = [AppFlow.Task(sourceFields: pairs.map(\.0), connectorOperator: projection, taskType: .filter, taskProperties: [:])]
        for (source, destination) in pairs {
            tasks.append(AppFlow.Task(sourceFields: [source], connectorOperator: op, destinationField: destination,
                                      taskType: .map, taskProperties: [:]))
        }
        return tasks
    }

    private static func connectorOperator(_ key: String, _ value: String) throws(AppFlowError) -> AppFlow.ConnectorOperator {
        try AppFlow.ConnectorOperator(json: .object([(key, .string(value))]), at: ShapePath())
    }

    /// RFC 4180 rows of a small text: quoted fields, doubled quotes, CRLF or LF.
    static func rows(_ text: String) throws(AppFlowError) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !wasQuoted: quoted = true; wasQuoted = true
            case ",": row.append(field); field = ""; wasQuoted = false
            case "\r": continue
            case "\n": row.append(field); rows.append(row); row = []; field = ""; wasQuoted = false
            default: field.unicodeScalars.append(c)
            }
        }
        if quoted { throw .validation("The field mapping CSV has an unterminated quote") }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows.map { $0.map { $0.trimmingSpaces() } }
    }
}
