/// What the transports need to know about one AppFlow operation; the table is generated from the model
/// (`AppFlow.Operation.spec`, Generated/Operations.swift).
public struct OperationSpec: Sendable {
    /// How the AWS CLI takes a member as an option.
    public enum OptionKind: Sendable, Equatable {
        case string, integer, number, boolean, timestamp
        /// A list of strings: `--names a b c`.
        case stringList
        /// A structure, map or list of structures: JSON text (or `file://`).
        case json
    }

    /// Where a member travels in the REST-JSON request.
    public enum Location: Sendable, Equatable {
        case body
        /// A `{name}` label of the request URI.
        case uri(String)
        case querystring(String)
    }

    public struct Member: Sendable, Equatable {
        public let jsonName: String
        /// The AWS CLI option name without the leading `--`, as botocore's `xform_name` spells it.
        public let cliName: String
        public let required: Bool
        public let kind: OptionKind
        public let location: Location

        init(_ jsonName: String, cli: String, required: Bool, kind: OptionKind, location: Location) {
            self.jsonName = jsonName
            self.cliName = cli
            self.required = required
            self.kind = kind
            self.location = location
        }
    }

    public let name: String
    public let cliName: String
    public let httpMethod: String
    public let requestURI: String
    public let input: any StructureShape.Type
    public let output: any StructureShape.Type
    public let errors: [AppFlowError.Code]
    /// In model order.
    public let inputMembers: [Member]

    public var inputShapeName: String { String(describing: input) }
    public var outputShapeName: String { String(describing: output) }

    /// The operation whose AWS CLI subcommand is `cliName` (`create-flow`).
    public static func forCLIName(_ cliName: String) -> AppFlow.Operation? {
        AppFlow.Operation.allCases.first { $0.spec.cliName == cliName }
    }
}
