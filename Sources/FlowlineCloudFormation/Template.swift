import FlowlineAPI

/// A parsed CloudFormation template: its parameters, mappings, resources and outputs, checked for
/// structure (not yet resolved).
struct Template {
    var description: String?
    var parameters: [TemplateParameter]
    var mappings: JSONValue?
    var resources: [TemplateResource]
    var outputs: [(name: String, value: JSONValue)]

    static let sections: Set<String> = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs", "Rules",
    ]

    init(_ document: JSONValue) throws(StackError) {
        guard case .object(let sections) = document else {
            throw .template("the template must be an object with a Resources section")
        }
        for (name, _) in sections where !Self.sections.contains(name) {
            throw .template("unknown section '\(name)'")
        }
        if document["Transform"] != nil {
            throw .template("Transform (macros such as AWS::Serverless) is not supported by Flowline")
        }
        if let version = document["AWSTemplateFormatVersion"], version != .string("2010-09-09") {
            throw .template("AWSTemplateFormatVersion must be '2010-09-09'")
        }
        if case .string(let text)? = document["Description"] { description = text }
        parameters = try Self.members(document["Parameters"], section: "Parameters").map { name, value throws(StackError) in
            try TemplateParameter(name: name, declaration: value)
        }
        mappings = document["Mappings"]
        let resourceMembers = try Self.members(document["Resources"], section: "Resources")
        guard !resourceMembers.isEmpty else {
            throw .template("at least one Resources member must be defined")
        }
        resources = try resourceMembers.map { name, value throws(StackError) in
            try TemplateResource(logicalId: name, declaration: value)
        }
        outputs = try Self.members(document["Outputs"], section: "Outputs").map { name, value throws(StackError) in
            guard let expression = value["Value"] else { throw .template("output \(name) has no Value") }
            return (name, expression)
        }
        let parameterNames = Set(parameters.map(\.name))
        for resource in resources where parameterNames.contains(resource.logicalId) {
            throw .template("\(resource.logicalId) is both a parameter and a resource")
        }
    }

    func resource(_ logicalId: String) -> TemplateResource? {
        resources.first { $0.logicalId == logicalId }
    }

    private static func members(_ value: JSONValue?, section: String) throws(StackError) -> JSONValue.Members {
        switch value {
        case nil, .null?: return []
        case .object(let members)?: return members
        default: throw .template("the \(section) section must be an object")
        }
    }

    /// Logical ids are alphanumeric, as CloudFormation requires.
    static func isValidLogicalId(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 255 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

/// One member of the Resources section.
struct TemplateResource {
    static let connectorProfileType = "AWS::AppFlow::ConnectorProfile"
    static let flowType = "AWS::AppFlow::Flow"

    var logicalId: String
    var type: String
    var properties: JSONValue
    var dependsOn: [String]
    /// `Retain` keeps the flow or profile when the stack deletes the resource.
    var retainOnDelete: Bool

    /// Whether Flowline creates this resource; others are reported as skipped.
    var isAppFlow: Bool { type == Self.connectorProfileType || type == Self.flowType }

    init(logicalId: String, declaration: JSONValue) throws(StackError) {
        guard Template.isValidLogicalId(logicalId) else {
            throw .template("resource name \(logicalId) is non alphanumeric")
        }
        guard case .object(let attributes) = declaration else {
            throw .template("resource \(logicalId) must be an object")
        }
        let known: Set<String> = ["Type", "Properties", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy",
                                  "Metadata", "Condition", "CreationPolicy", "UpdatePolicy"]
        for (name, _) in attributes where !known.contains(name) {
            throw .template("resource \(logicalId) has an unknown attribute \(name)")
        }
        guard case .string(let type)? = declaration["Type"] else {
            throw .template("resource \(logicalId) has no Type")
        }
        self.logicalId = logicalId
        self.type = type
        switch declaration["Properties"] {
        case nil, .null?: properties = .object([])
        case .object(let members)?: properties = .object(members)
        default: throw .property(logicalId, type, nil, "Properties must be an object")
        }
        switch declaration["DependsOn"] {
        case nil: dependsOn = []
        case .string(let name)?: dependsOn = [name]
        case .array(let names)?:
            dependsOn = try names.map { name throws(StackError) in
                guard case .string(let text) = name else { throw .property(logicalId, type, "DependsOn", "must list resource names") }
                return text
            }
        default: throw .property(logicalId, type, "DependsOn", "must be a resource name or a list of them")
        }
        if declaration["Condition"] != nil, type.hasPrefix("AWS::AppFlow::") {
            throw .property(logicalId, type, "Condition", "conditions are not supported by Flowline")
        }
        switch declaration["DeletionPolicy"] {
        case nil, .string("Delete")?: retainOnDelete = false
        case .string("Retain")?, .string("RetainExceptOnCreate")?: retainOnDelete = true
        case .string(let other)?: throw .property(logicalId, type, "DeletionPolicy", "\(other) is not one of Delete, Retain, RetainExceptOnCreate")
        default: throw .property(logicalId, type, "DeletionPolicy", "must be a string")
        }
    }
}
