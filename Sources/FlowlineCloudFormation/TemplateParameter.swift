import Foundation
import FlowlineAPI

/// One member of the Parameters section, with the constraints CloudFormation checks.
struct TemplateParameter {
    enum Kind: Equatable {
        case string, number, numberList, commaDelimitedList

        init?(_ type: String) {
            switch type {
            case "String": self = .string
            case "Number": self = .number
            case "List<Number>": self = .numberList
            case "CommaDelimitedList": self = .commaDelimitedList
            default: return nil
            }
        }
    }

    var name: String
    var kind: Kind
    var defaultValue: String?
    var allowedValues: [String]?
    var allowedPattern: String?
    var minLength: Int?
    var maxLength: Int?
    var minValue: Double?
    var maxValue: Double?
    var constraintDescription: String?
    /// NoEcho values are never printed or stored in plain text.
    var noEcho: Bool

    init(name: String, declaration: JSONValue) throws(StackError) {
        guard Template.isValidLogicalId(name) else { throw .template("parameter name \(name) is non alphanumeric") }
        guard case .string(let type)? = declaration["Type"] else {
            throw .template("parameter \(name) has no Type")
        }
        guard let kind = Kind(type) else {
            throw .template("parameter \(name) has type \(type); Flowline supports String, Number, List<Number> and CommaDelimitedList")
        }
        self.name = name
        self.kind = kind
        defaultValue = try Self.text(declaration["Default"], "Default", of: name)
        if let values = declaration["AllowedValues"] {
            guard case .array(let items) = values else { throw .template("AllowedValues of parameter \(name) must be a list") }
            allowedValues = try items.map { item throws(StackError) in try Self.text(item, "AllowedValues", of: name) ?? "" }
        }
        allowedPattern = try Self.text(declaration["AllowedPattern"], "AllowedPattern", of: name)
        minLength = try Self.number(declaration["MinLength"], "MinLength", of: name).map { Int($0) }
        maxLength = try Self.number(declaration["MaxLength"], "MaxLength", of: name).map { Int($0) }
        minValue = try Self.number(declaration["MinValue"], "MinValue", of: name)
        maxValue = try Self.number(declaration["MaxValue"], "MaxValue", of: name)
        constraintDescription = try Self.text(declaration["ConstraintDescription"], "ConstraintDescription", of: name)
        noEcho = declaration["NoEcho"] == .bool(true) || declaration["NoEcho"] == .string("true")
        if let defaultValue { _ = try value(defaultValue) }
    }

    /// The value a `Ref` to this parameter yields: a string, or a list of strings for list types.
    /// Checks every constraint, as CloudFormation does before it changes anything.
    func value(_ text: String) throws(StackError) -> JSONValue {
        switch kind {
        case .string:
            try check(text)
            return .string(text)
        case .number:
            try checkNumber(text)
            return .string(text)
        case .commaDelimitedList, .numberList:
            let items = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            for item in items {
                if kind == .numberList { try checkNumber(item) } else { try check(item) }
            }
            return .array(items.map { .string($0) })
        }
    }

    private func check(_ text: String) throws(StackError) {
        if let allowedValues, !allowedValues.contains(text) {
            throw failure("'\(displayed(text))' is not one of the AllowedValues [\(allowedValues.joined(separator: ", "))]")
        }
        if let allowedPattern {
            let anchored = "^(?:\(allowedPattern))$"
            guard let regex = try? NSRegularExpression(pattern: anchored) else {
                throw .template("AllowedPattern of parameter \(name) is not a valid regular expression")
            }
            let range = NSRange(text.startIndex..., in: text)
            if regex.firstMatch(in: text, range: range) == nil {
                throw failure("'\(displayed(text))' does not match the AllowedPattern \(allowedPattern)")
            }
        }
        if let minLength, text.count < minLength { throw failure("must be at least \(minLength) characters long") }
        if let maxLength, text.count > maxLength { throw failure("must be at most \(maxLength) characters long") }
    }

    private func checkNumber(_ text: String) throws(StackError) {
        guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
            throw failure("'\(displayed(text))' is not a number")
        }
        if let minValue, number < minValue { throw failure("must be at least \(JSONValue.number(minValue).compact)") }
        if let maxValue, number > maxValue { throw failure("must be at most \(JSONValue.number(maxValue).compact)") }
        if let allowedValues, !allowedValues.compactMap(Double.init).contains(number) {
            throw failure("'\(displayed(text))' is not one of the AllowedValues [\(allowedValues.joined(separator: ", "))]")
        }
    }

    private func displayed(_ text: String) -> String { noEcho ? "****" : text }

    private func failure(_ detail: String) -> StackError {
        let hint = constraintDescription.map { " (\($0))" } ?? ""
        return StackError(.validation, "Parameter '\(name)' \(detail)\(hint)")
    }

    private static func text(_ value: JSONValue?, _ field: String, of name: String) throws(StackError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .number(let number)?: return JSONValue.number(number).compact
        case .bool(let flag)?: return flag ? "true" : "false"
        case .array(let items)?:
            // A list default for a list parameter, written as a YAML/JSON list.
            return try items.map { item throws(StackError) in try text(item, field, of: name) ?? "" }.joined(separator: ",")
        default: throw .template("\(field) of parameter \(name) must be a string")
        }
    }

    private static func number(_ value: JSONValue?, _ field: String, of name: String) throws(StackError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?: return number
        case .string(let text)?:
            if let number = Double(text) { return number }
            throw .template("\(field) of parameter \(name) must be a number")
        default: throw .template("\(field) of parameter \(name) must be a number")
        }
    }
}

extension JSONValue {
    /// A scalar as CloudFormation turns it into text: `5` not `5.0`, `true`, or the string itself.
    var compact: String {
        switch self {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        default: return String(decoding: serialized(), as: UTF8.self)
        }
    }
}

/// The parameter values of one deploy: defaults, overridden by `--parameter-overrides`.
struct ParameterValues {
    var values: [String: JSONValue] = [:]
    /// What is recorded with the stack: NoEcho values masked.
    var recorded: JSONValue.Members = []
    /// The NoEcho parameters' values (and, for lists, their items).
    var noEcho = NoEchoValues([])

    init(template: Template, overrides: [String: String]) throws(StackError) {
        let declared = Set(template.parameters.map(\.name))
        let unknown = overrides.keys.filter { !declared.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw StackError(.validation, "Parameters: [\(unknown.joined(separator: ", "))] do not exist in the template")
        }
        var missing: [String] = []
        for parameter in template.parameters {
            guard let text = overrides[parameter.name] ?? parameter.defaultValue else {
                missing.append(parameter.name)
                continue
            }
            let value = try parameter.value(text)
            values[parameter.name] = value
            recorded.append((parameter.name, .string(parameter.noEcho ? NoEchoValues.mask : text)))
            if parameter.noEcho {
                var hidden = [text]
                if case .array(let items) = value { hidden += items.map(\.compact) }
                noEcho = NoEchoValues(noEcho.values + hidden)
            }
        }
        if !missing.isEmpty {
            throw StackError(.validation, "Parameters: [\(missing.joined(separator: ", "))] must have values")
        }
    }
}
