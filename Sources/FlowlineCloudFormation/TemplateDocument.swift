import Foundation
import FlowlineAPI
import Yams

/// Reads a template's text, JSON or YAML, into one `JSONValue` tree. YAML's short intrinsic tags
/// (`!Ref X`, `!Sub …`, `!GetAtt A.B`, `!Join […]`, …) become their long JSON forms, so the rest of
/// the deploy sees one syntax.
enum TemplateDocument {
    static func parse(_ text: String) throws(StackError) -> JSONValue {
        try TemplateLimits.checkSize(text.utf8.count)
        let trimmed = text.drop(while: { $0.isWhitespace })
        if trimmed.first == "{" {
            do {
                return try JSONValue.parse(text)
            } catch {
                throw .template("the template is not valid JSON: \(error.message)")
            }
        }
        // Before Yams builds its tree: an alias bomb or a deep nest is refused unexpanded.
        try TemplateLimits.checkYAML(text)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .template("the template is not valid YAML: \(error)")
        }
        guard let root else { throw .template("the template is empty") }
        return try json(root)
    }

    private static func json(_ node: Node) throws(StackError) -> JSONValue {
        let tag = node.tag.rawValue
        if tag.hasPrefix("!"), tag.count > 1 {
            return .object([(longName(ofShortTag: String(tag.dropFirst())), try untaggedJSON(node))])
        }
        return try untaggedJSON(node)
    }

    /// `!Ref` → `Ref`, `!Condition` → `Condition`, every other `!Name` → `Fn::Name`.
    static func longName(ofShortTag name: String) -> String {
        name == "Ref" || name == "Condition" ? name : "Fn::\(name)"
    }

    private static func untaggedJSON(_ node: Node) throws(StackError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarJSON(scalar)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try json(item)) }
            return .array(items)
        case .mapping(let mapping):
            var members: JSONValue.Members = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw .template("a mapping key at line \(line(key)) is not a plain string")
                }
                members.append((keyScalar.string, try json(value)))
            }
            return .object(members)
        case .alias:
            throw .template("YAML aliases (*name) are not supported in templates (line \(line(node)))")
        }
    }

    /// A scalar as its YAML type: quoted or custom-tagged text stays a string.
    private static func scalarJSON(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        switch scalar.tag.rawValue {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return .bool(Node.scalar(scalar).bool ?? false)
        case Tag.Name.int.rawValue:
            if let value = Node.scalar(scalar).int { return .number(Double(value)) }
            return .string(text)
        case Tag.Name.float.rawValue:
            if let value = Node.scalar(scalar).float, value.isFinite { return .number(value) }
            return .string(text)
        default: return .string(text)
        }
    }

    private static func line(_ node: Node) -> String {
        node.mark.map { String($0.line) } ?? "?"
    }
}
