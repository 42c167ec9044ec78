import FlowlineCore

/// Names that enter the text of a query (SOQL, ServiceNow's encoded `sysparm_query`) are checked
/// at run time before they do: the object must be a plain identifier, and the incremental field
/// and the projected fields must be fields the application described. A flow checked when the
/// application could not be asked, or a profile pointed elsewhere since, cannot splice text in.
enum QueryNames {
    /// Letters, digits and underscores, starting with a letter (`Account`, `My_Object__c`,
    /// `incident`, `x_acme_table`).
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 255,
              ("A"..."Z").contains(first) || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func checkObject(_ object: String, service: String) throws(ConnectorError) {
        guard isIdentifier(object) else {
            throw .configuration(service: service, detail: "'\(object)' is not a valid object name (letters, digits and underscores)")
        }
    }

    /// The incremental field must be one of `described`, and every field the query names a plain identifier.
    static func checkFields(_ fields: [SaaSField], window: IncrementalWindow?, described: [SaaSField], object: String,
                            service: String) throws(ConnectorError) {
        if let window, !described.contains(where: { $0.name == window.field }) {
            throw .configuration(service: service, detail: "the incremental field '\(window.field)' is not a field of \(object)")
        }
        if let odd = fields.first(where: { !isIdentifier($0.name) }) {
            throw .configuration(service: service, detail: "the field name '\(odd.name)' of \(object) cannot be put in a query")
        }
    }
}
