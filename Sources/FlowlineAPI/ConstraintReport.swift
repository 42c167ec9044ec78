/// Collects the constraint failures of a request the way AWS reports them:
/// `Value '-bad' at 'flowName' failed to satisfy constraint: Member must satisfy regular expression pattern: ...`.
/// Generated `validate(into:at:)` methods call these helpers member by member.
public struct ConstraintReport: Sendable {
    public private(set) var failures: [String] = []

    public init() {}

    /// `1 validation error detected: ...` / `2 validation errors detected: ...; ...`, or nil when all passed.
    public var error: AppFlowError? {
        guard !failures.isEmpty else { return nil }
        let noun = failures.count == 1 ? "error" : "errors"
        return .validation("\(failures.count) validation \(noun) detected: " + failures.joined(separator: "; "))
    }

    mutating func fail(_ shown: String?, at path: ShapePath, _ phrase: String) {
        let value = shown.map { "Value '\($0)' at" } ?? "Value at"
        failures.append("\(value) '\(path)' failed to satisfy constraint: \(phrase)")
    }

    public mutating func check(_ value: String?, _ rule: StringRule, at path: ShapePath) {
        guard let value else { return }
        for phrase in rule.failures(value) { fail(rule.sensitive ? nil : value, at: path, phrase) }
    }

    public mutating func check<N: ShapeValue & BinaryInteger>(_ value: N?, _ rule: NumberRule, at path: ShapePath) {
        guard let value else { return }
        for phrase in rule.failures(Double(value)) { fail(String(value), at: path, phrase) }
    }

    public mutating func check(_ value: Double?, _ rule: NumberRule, at path: ShapePath) {
        guard let value else { return }
        for phrase in rule.failures(value) { fail(JSONValue.numberText(value), at: path, phrase) }
    }

    public mutating func nested<T: StructureShape>(_ value: T?, at path: ShapePath) {
        value?.validate(into: &self, at: path)
    }

    public mutating func list<E: ShapeValue>(_ value: [E]?, _ rule: CountRule?, at path: ShapePath,
                                             each: ((inout ConstraintReport, E, ShapePath) -> Void)? = nil) {
        guard let value else { return }
        if let rule {
            for phrase in rule.failures(value.count) {
                fail(rule.hidesValue ? nil : Self.javaText(value.json(.iso8601)), at: path, phrase)
            }
        }
        guard let each else { return }
        for (i, element) in value.enumerated() { each(&self, element, path.element(i)) }
    }

    /// A map of strings: keys and values checked against their shapes' rules.
    public mutating func map(_ value: [String: String]?, _ rule: CountRule?, at path: ShapePath,
                             keys: StringRule?, values: StringRule?) {
        map(value, rule, at: path, keys: keys) { report, item, itemPath in
            if let values { report.check(item, values, at: itemPath) }
        }
    }

    public mutating func map<V: ShapeValue>(_ value: [String: V]?, _ rule: CountRule?, at path: ShapePath,
                                            keys: StringRule?, each: ((inout ConstraintReport, V, ShapePath) -> Void)? = nil) {
        guard let value else { return }
        if let rule {
            for phrase in rule.failures(value.count) {
                fail(rule.hidesValue ? nil : Self.javaText(value.json(.iso8601)), at: path, phrase)
            }
        }
        for key in value.keys.sorted() {
            if let keys {
                let phrases = keys.failures(key)
                if !phrases.isEmpty {
                    fail(keys.sensitive ? nil : key, at: path,
                         "Map keys must satisfy constraint: [\(phrases.joined(separator: ", "))]")
                }
            }
            // A secret key must not show up in the path of its value either.
            let itemPath = keys?.sensitive == true ? path : path.entry(key)
            each?(&self, value[key]!, itemPath)
        }
    }

    /// Collections print as Java's `toString` does, which is what AWS messages show: `[a, b]`, `{k=v}`.
    static func javaText(_ json: JSONValue) -> String {
        switch json {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): JSONValue.numberText(n)
        case .string(let s): s
        case .array(let items): "[" + items.map(javaText).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.map { "\($0.key)=\(javaText($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
