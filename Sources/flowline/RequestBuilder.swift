import FlowlineAPI

/// Collects a command's options into the operation's request JSON.
///
/// Starts from `--cli-input-json` when given; each option set on the command line replaces the
/// member of the same name. Values keep the types the model gives them, so the service's strict
/// decoding sees what an SDK would send.
struct RequestBuilder {
    private var members: JSONValue.Members = []

    init(cliInputJSON: String?) throws(CLIError) {
        guard let cliInputJSON else { return }
        let text = try ParameterValue.text(cliInputJSON, option: "--cli-input-json")
        guard case .object(let object) = try Self.parse(text, option: "--cli-input-json") else {
            throw .badParameter(option: "--cli-input-json", "Invalid JSON: expected a JSON object")
        }
        members = object
    }

    mutating func string(_ name: String, _ value: String?, option: String) throws(CLIError) {
        guard let value else { return }
        set(name, .string(try ParameterValue.text(value, option: option)))
    }

    mutating func integer(_ name: String, _ value: String?, option: String) throws(CLIError) {
        guard let value else { return }
        let text = try ParameterValue.text(value, option: option).trimmingWhitespace()
        guard let number = Int64(text) else {
            throw .badParameter(option: option, "invalid literal for int(): \(text)")
        }
        set(name, .number(Double(number)))
    }

    mutating func boolean(_ name: String, _ value: Bool?) {
        guard let value else { return }
        set(name, .bool(value))
    }

    /// `--names a b c`, or one JSON array (inline or file://).
    mutating func stringList(_ name: String, _ values: [String], option: String) throws(CLIError) {
        guard !values.isEmpty else { return }
        if values.count == 1 {
            let text = try ParameterValue.text(values[0], option: option)
            if text.trimmingWhitespace().hasPrefix("[") {
                set(name, try Self.parse(text, option: option))
                return
            }
            set(name, .array([.string(text)]))
            return
        }
        set(name, .array(values.map { .string($0) }))
    }

    mutating func json(_ name: String, _ value: String?, option: String) throws(CLIError) {
        guard let value else { return }
        set(name, try Self.parse(try ParameterValue.text(value, option: option), option: option))
    }

    /// The request, once every required member is present.
    func finish(required: [(member: String, option: String)]) throws(CLIError) -> JSONValue {
        let present = Set(members.map(\.key))
        let missing = required.filter { !present.contains($0.member) }.map(\.option)
        if !missing.isEmpty { throw .missingArguments(missing) }
        return .object(members)
    }

    private mutating func set(_ name: String, _ value: JSONValue) {
        if let i = members.firstIndex(where: { $0.key == name }) {
            members[i].value = value
        } else {
            members.append((name, value))
        }
    }

    private static func parse(_ text: String, option: String) throws(CLIError) -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            throw .badParameter(option: option, "Invalid JSON: \(error.message)")
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
