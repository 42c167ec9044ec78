import Foundation
import FlowlineCore

/// What Flowline needs from an OData v2 `$metadata` document: each entity type's key and
/// properties (with SAP's `sap:filterable` annotation), which type each entity set holds, and what
/// each set supports (`sap:pageable`, `sap:topable`, `sap:countable`).
/// A small tag scanner, not a full XML parser: EDMX from SAP Gateway is regular and flat enough.
struct SAPODataMetadata: Sendable {
    struct EntityType: Sendable {
        var name: String
        var keys: [String] = []
        var properties: [(name: String, type: String, label: String?, filterable: Bool)] = []

        /// The properties as fields; the `<Key>` properties marked as the primary key.
        var fields: [SaaSField] {
            properties.map { p in
                let type = SAPODataMetadata.fieldType(p.type)
                return SaaSField(name: p.name, label: p.label ?? p.name, nativeType: p.type, type: type,
                                 filterOperators: p.filterable ? nil : ["PROJECTION", "NO_OP"],
                                 isPrimaryKey: keys.contains(p.name))
            }
        }
    }

    /// The query options an entity set supports, from SAP's annotations (all default to true).
    struct SetCapabilities: Sendable, Equatable {
        /// `sap:pageable` and `sap:topable`: `$top` and `$skip` may be sent.
        var pageable = true
        /// `sap:countable`: `$inlinecount=allpages` and `/$count` may be sent.
        var countable = true
    }

    var types: [String: EntityType] = [:]
    /// Entity set name → entity type name (without namespace).
    var sets: [String: String] = [:]
    var capabilities: [String: SetCapabilities] = [:]

    init(xml: String) {
        var current: EntityType?
        var inKey = false
        for tag in Self.tags(xml) {
            switch tag.name {
            case "EntityType":
                if tag.closing { if let t = current { types[t.name] = t }; current = nil }
                else if let name = tag.attributes["Name"] {
                    current = EntityType(name: name)
                    if tag.selfClosing { types[name] = current; current = nil }
                }
            case "Key": inKey = !tag.closing && !tag.selfClosing
            case "PropertyRef" where inKey: if let n = tag.attributes["Name"] { current?.keys.append(n) }
            case "Property":
                guard let n = tag.attributes["Name"], let t = tag.attributes["Type"] else { continue }
                current?.properties.append((n, t, tag.attributes["sap:label"], tag.attributes["sap:filterable"] != "false"))
            case "EntitySet":
                if let n = tag.attributes["Name"], let t = tag.attributes["EntityType"] {
                    sets[n] = String(t.split(separator: ".").last ?? Substring(t))
                    capabilities[n] = SetCapabilities(
                        pageable: tag.attributes["sap:pageable"] != "false" && tag.attributes["sap:topable"] != "false",
                        countable: tag.attributes["sap:countable"] != "false")
                }
            default: break
            }
        }
    }

    func entityType(forSet set: String) throws(ConnectorError) -> EntityType {
        guard let typeName = sets[set], let type = types[typeName] else {
            throw .api(service: "SAP OData", status: 404, code: "Resource not found",
                       message: "the service's $metadata has no entity set \(set)")
        }
        return type
    }

    func capabilities(ofSet set: String) -> SetCapabilities { capabilities[set] ?? SetCapabilities() }

    /// EDM primitive types as Flowline field types. Edm.Int64 and Edm.Decimal arrive as JSON text
    /// in OData v2; the record converter parses them.
    static func fieldType(_ edm: String) -> FieldType {
        switch edm {
        case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte": return .int
        case "Edm.Decimal": return .decimal
        case "Edm.Double", "Edm.Single": return .double
        case "Edm.Boolean": return .bool
        case "Edm.DateTime", "Edm.DateTimeOffset": return .timestamp
        default: return .string
        }
    }

    struct Tag {
        var name: String
        var attributes: [String: String]
        var closing: Bool
        var selfClosing: Bool
    }

    /// Every element tag in order, with its attributes (namespace prefixes dropped from element names).
    static func tags(_ xml: String) -> [Tag] {
        var out: [Tag] = []
        var rest = Substring(xml)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            var body = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if body.hasPrefix("?") || body.hasPrefix("!") { continue }
            let closing = body.hasPrefix("/")
            if closing { body = body.dropFirst() }
            let selfClosing = body.hasSuffix("/")
            if selfClosing { body = body.dropLast() }
            let nameEnd = body.firstIndex(where: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) ?? body.endIndex
            let qualified = body[..<nameEnd]
            let name = String(qualified.split(separator: ":").last ?? qualified)
            out.append(Tag(name: name, attributes: attributes(body[nameEnd...]), closing: closing, selfClosing: selfClosing))
        }
        return out
    }

    static func attributes(_ text: Substring) -> [String: String] {
        var out: [String: String] = [:]
        var rest = text
        while let eq = rest.firstIndex(of: "=") {
            let key = rest[..<eq].trimmingCharacters(in: .whitespacesAndNewlines)
            let afterEq = rest[rest.index(after: eq)...].drop { $0 == " " }
            guard let quote = afterEq.first, quote == "\"" || quote == "'" else { break }
            let valueStart = afterEq.index(after: afterEq.startIndex)
            guard let valueEnd = afterEq[valueStart...].firstIndex(of: quote) else { break }
            out[key] = unescape(String(afterEq[valueStart..<valueEnd]))
            rest = afterEq[afterEq.index(after: valueEnd)...]
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
