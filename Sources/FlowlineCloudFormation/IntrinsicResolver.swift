import Foundation
import FlowlineAPI

/// Where an intrinsic function could not be resolved: the property path inside the resource
/// (`SourceFlowConfig.ConnectorProfileName`, `Tasks[0].SourceFields`) and why.
struct ResolutionError: Error {
    var path: String
    var message: String
}

/// Resolves `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join` (and `Fn::Select`, `Fn::Split`,
/// `Fn::FindInMap`, `Fn::Base64`) in a property tree.
///
/// What a reference to a resource yields is the deployer's business (`resourceValue`): while
/// planning it hands out the names and ARNs the resources will have, while applying the real ones.
struct IntrinsicResolver {
    /// Parameter and pseudo parameter values by name.
    var parameters: [String: JSONValue]
    var mappings: JSONValue?
    /// Every logical id in the template and its type.
    var resourceTypes: [String: String]
    /// The value of `Ref` (attribute nil) or `Fn::GetAtt` on a resource.
    var resourceValue: (_ logicalId: String, _ attribute: String?) throws(ResolutionError) -> JSONValue

    static let supportedFunctions = ["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split",
                                     "Fn::FindInMap", "Fn::Base64"]

    /// The resolved value; nil where `Ref: AWS::NoValue` removes it.
    func resolve(_ value: JSONValue, at path: String) throws(ResolutionError) -> JSONValue? {
        switch value {
        case .object(let members):
            if let (function, argument) = Self.intrinsic(value) {
                return try call(function, argument, at: path)
            }
            if members.count == 1, let key = members.first?.key, key.hasPrefix("Fn::") || key == "Condition" {
                throw ResolutionError(path: path, message: "\(key) is not supported by Flowline (supported: \(Self.supportedFunctions.joined(separator: ", ")))")
            }
            var resolved: JSONValue.Members = []
            for (key, member) in members {
                if let value = try resolve(member, at: Self.join(path, key)) { resolved.append((key, value)) }
            }
            return .object(resolved)
        case .array(let items):
            var resolved: [JSONValue] = []
            for (index, item) in items.enumerated() {
                if let value = try resolve(item, at: "\(path)[\(index)]") { resolved.append(value) }
            }
            return .array(resolved)
        default:
            return value
        }
    }

    /// `(function, argument)` when the value is a supported intrinsic function call.
    static func intrinsic(_ value: JSONValue) -> (String, JSONValue)? {
        guard case .object(let members) = value, members.count == 1, let only = members.first,
              supportedFunctions.contains(only.key) else { return nil }
        return (only.key, only.value)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func call(_ function: String, _ argument: JSONValue, at path: String) throws(ResolutionError) -> JSONValue? {
        func fail(_ message: String) -> ResolutionError { ResolutionError(path: path, message: "\(function): \(message)") }
        switch function {
        case "Ref":
            guard case .string(let name) = argument else { throw fail("the argument must be a parameter or resource name") }
            return try reference(name, at: path)
        case "Fn::GetAtt":
            let (logicalId, attribute) = try Self.getAttArguments(argument, path: path)
            guard resourceTypes[logicalId] != nil else {
                throw ResolutionError(path: path, message: "Fn::GetAtt refers to \(logicalId), which is not a resource in the template")
            }
            return try value(of: logicalId, attribute, at: path)
        case "Fn::Join":
            guard case .array(let parts) = argument, parts.count == 2 else { throw fail("takes [delimiter, [values…]]") }
            guard case .string(let delimiter)? = try resolve(parts[0], at: path) else { throw fail("the delimiter must be a string") }
            guard case .array(let values)? = try resolve(parts[1], at: path) else { throw fail("the second argument must be a list") }
            return .string(try values.map { value throws(ResolutionError) in try text(value, fail) }.joined(separator: delimiter))
        case "Fn::Sub":
            return .string(try substitute(argument, at: path))
        case "Fn::Select":
            guard case .array(let parts) = argument, parts.count == 2 else { throw fail("takes [index, [values…]]") }
            let indexValue = try resolve(parts[0], at: path)
            guard let indexText = indexValue.map(\.compact), let index = Int(indexText) else { throw fail("the index must be a number") }
            guard case .array(let values)? = try resolve(parts[1], at: path) else { throw fail("the second argument must be a list") }
            guard values.indices.contains(index) else { throw fail("index \(index) is outside the list of \(values.count)") }
            return values[index]
        case "Fn::Split":
            guard case .array(let parts) = argument, parts.count == 2,
                  case .string(let delimiter)? = try resolve(parts[0], at: path), !delimiter.isEmpty else {
                throw fail("takes [delimiter, string]")
            }
            guard let source = try resolve(parts[1], at: path) else { throw fail("the string is missing") }
            return .array(try text(source, fail).components(separatedBy: delimiter).map { .string($0) })
        case "Fn::FindInMap":
            guard case .array(let parts) = argument, parts.count == 3 else { throw fail("takes [MapName, TopLevelKey, SecondLevelKey]") }
            var keys: [String] = []
            for part in parts {
                guard let key = try resolve(part, at: path) else { throw fail("a key is missing") }
                keys.append(try text(key, fail))
            }
            guard let found = mappings?[keys[0]]?[keys[1]]?[keys[2]] else {
                throw fail("Mappings has no \(keys.joined(separator: "."))")
            }
            return found
        case "Fn::Base64":
            guard let source = try resolve(argument, at: path) else { throw fail("the string is missing") }
            return .string(Data(try text(source, fail).utf8).base64EncodedString())
        default:
            throw fail("not supported")
        }
    }

    private func reference(_ name: String, at path: String) throws(ResolutionError) -> JSONValue? {
        if name == "AWS::NoValue" { return nil }
        if let value = parameters[name] { return value }
        if resourceTypes[name] != nil { return try value(of: name, nil, at: path) }
        throw ResolutionError(path: path, message: "Unresolved resource dependencies [\(name)] in the Resources block of the template")
    }

    /// A resource's Ref or attribute, its error placed at `path`.
    private func value(of logicalId: String, _ attribute: String?, at path: String) throws(ResolutionError) -> JSONValue {
        do {
            return try resourceValue(logicalId, attribute)
        } catch {
            throw ResolutionError(path: path, message: error.message)
        }
    }

    private func text(_ value: JSONValue, _ fail: (String) -> ResolutionError) throws(ResolutionError) -> String {
        switch value {
        case .string, .number, .bool: return value.compact
        default: throw fail("expected a string, found a \(value.typeName)")
        }
    }

    /// `Fn::Sub: "text ${Name} ${Res.Attr} ${!Literal}"` or `Fn::Sub: [text, {Name: value}]`.
    private func substitute(_ argument: JSONValue, at path: String) throws(ResolutionError) -> String {
        var variables: [String: String] = [:]
        let template: String
        switch argument {
        case .string(let body):
            template = body
        case .array(let parts) where parts.count == 2:
            guard case .string(let body) = parts[0], case .object(let members) = parts[1] else {
                throw ResolutionError(path: path, message: "Fn::Sub takes a string or [string, {Name: value}]")
            }
            template = body
            for (name, value) in members {
                guard let resolved = try resolve(value, at: path) else { continue }
                variables[name] = try text(resolved) { ResolutionError(path: path, message: "Fn::Sub variable \(name): \($0)") }
            }
        default:
            throw ResolutionError(path: path, message: "Fn::Sub takes a string or [string, {Name: value}]")
        }
        var output = ""
        for piece in Self.subPieces(template) {
            switch piece {
            case .literal(let text): output += text
            case .variable(let name):
                if let value = variables[name] {
                    output += value
                } else if let dot = name.firstIndex(of: "."), parameters[name] == nil {
                    let logicalId = String(name[..<dot])
                    guard resourceTypes[logicalId] != nil else {
                        throw ResolutionError(path: path, message: "Fn::Sub refers to \(name), but \(logicalId) is not a resource in the template")
                    }
                    output += try text(value(of: logicalId, String(name[name.index(after: dot)...]), at: path)) {
                        ResolutionError(path: path, message: "Fn::Sub ${\(name)}: \($0)")
                    }
                } else {
                    guard let value = try reference(name, at: path) else { continue }
                    output += try text(value) { ResolutionError(path: path, message: "Fn::Sub ${\(name)}: \($0)") }
                }
            }
        }
        return output
    }

    enum SubPiece: Equatable {
        case literal(String)
        case variable(String)
    }

    /// Splits a `Fn::Sub` string into text and `${…}` variables; `${!X}` is the literal `${X}`.
    static func subPieces(_ template: String) -> [SubPiece] {
        var pieces: [SubPiece] = []
        var rest = template[...]
        while let open = rest.range(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            pieces.append(.literal(String(rest[..<open.lowerBound])))
            let name = rest[open.upperBound..<close]
            if name.hasPrefix("!") {
                pieces.append(.literal("${\(name.dropFirst())}"))
            } else {
                pieces.append(.variable(name.trimmingCharacters(in: .whitespaces)))
            }
            rest = rest[rest.index(after: close)...]
        }
        pieces.append(.literal(String(rest)))
        return pieces.filter { $0 != .literal("") }
    }

    static func getAttArguments(_ argument: JSONValue, path: String) throws(ResolutionError) -> (String, String) {
        switch argument {
        case .string(let dotted):
            guard let dot = dotted.firstIndex(of: ".") else { break }
            return (String(dotted[..<dot]), String(dotted[dotted.index(after: dot)...]))
        case .array(let parts) where parts.count == 2:
            if case .string(let logicalId) = parts[0], case .string(let attribute) = parts[1] { return (logicalId, attribute) }
        default: break
        }
        throw ResolutionError(path: path, message: "Fn::GetAtt takes [LogicalId, Attribute] or \"LogicalId.Attribute\"")
    }

    /// Every name a value refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub` (parameters included).
    static func referencedNames(in value: JSONValue) -> Set<String> {
        var names: Set<String> = []
        collect(value, into: &names)
        return names
    }

    private static func collect(_ value: JSONValue, into names: inout Set<String>) {
        switch value {
        case .object(let members):
            if members.count == 1, let only = members.first {
                switch only.key {
                case "Ref":
                    if case .string(let name) = only.value { names.insert(name) }
                    return
                case "Fn::GetAtt":
                    if let (logicalId, _) = try? getAttArguments(only.value, path: "") { names.insert(logicalId) }
                    return
                case "Fn::Sub":
                    var text: String?
                    var local: Set<String> = []
                    switch only.value {
                    case .string(let s): text = s
                    case .array(let parts) where parts.count == 2:
                        if case .string(let s) = parts[0] { text = s }
                        if case .object(let vars) = parts[1] {
                            local = Set(vars.map(\.key))
                            for (_, v) in vars { collect(v, into: &names) }
                        }
                    default: break
                    }
                    for case .variable(let name) in subPieces(text ?? "") where !local.contains(name) {
                        names.insert(name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name)
                    }
                    return
                default: break
                }
            }
            for (_, member) in members { collect(member, into: &names) }
        case .array(let items):
            for item in items { collect(item, into: &names) }
        default: break
        }
    }
}
