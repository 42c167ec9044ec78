import Foundation

/// How timestamps are written: the REST-JSON wire form, or what the AWS CLI prints with `cli_timestamp_format = iso8601`.
public enum TimestampFormat: Sendable {
    /// A JSON number of seconds since 1970 (fractional seconds allowed).
    case epochSeconds
    /// `2021-07-20T16:30:32.123000+00:00`, as Python's `datetime.isoformat()` writes it in UTC.
    case iso8601
}

/// A value of the AppFlow model that converts from and to JSON: scalars, lists, maps, enums and structures.
public protocol ShapeValue: Sendable {
    /// Strict conversion: a wrong JSON type, an unknown member or enum value is a ValidationException naming where.
    init(json: JSONValue, at path: ShapePath) throws(AppFlowError)
    func json(_ timestamps: TimestampFormat) -> JSONValue
}

/// A structure of the model. Codable goes through the strict JSON conversion so every decoder enforces the model.
public protocol StructureShape: ShapeValue, Codable, Equatable {
    /// Member names in model order.
    static var memberNames: [String] { get }
    func validate(into report: inout ConstraintReport, at path: ShapePath)
}

extension StructureShape {
    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder), at: ShapePath())
    }

    public func encode(to encoder: any Encoder) throws {
        try json(.epochSeconds).encode(to: encoder)
    }

    /// Checks every constraint of the model (patterns, lengths, counts, ranges) through all nested members.
    /// All failures are reported at once, as AWS does: `2 validation errors detected: ...; ...`.
    public func validate() throws(AppFlowError) {
        var report = ConstraintReport()
        validate(into: &report, at: ShapePath())
        if let error = report.error { throw error }
    }
}

/// A string enum of the model.
public protocol EnumShape: ShapeValue, RawRepresentable<String>, CaseIterable {}

extension EnumShape {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .string(let raw) = json else { throw ShapeDecoding.wrongType(json, expected: "string", at: path) }
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw .validation("Invalid value '\(raw)' for member \(path.quotedWithContainer): must be one of [\(allowed)]")
        }
        self = value
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue { .string(rawValue) }
}

enum ShapeDecoding {
    static func wrongType(_ json: JSONValue, expected: String, at path: ShapePath) -> AppFlowError {
        .validation("Invalid type for member \(path.quotedWithContainer): expected \(expected), found \(json.typeName)")
    }
}

extension String: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .string(let value) = json else { throw ShapeDecoding.wrongType(json, expected: "string", at: path) }
        self = value
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue { .string(self) }
}

extension Bool: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .bool(let value) = json else { throw ShapeDecoding.wrongType(json, expected: "boolean", at: path) }
        self = value
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue { .bool(self) }
}

extension Double: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .number(let value) = json else { throw ShapeDecoding.wrongType(json, expected: "number", at: path) }
        self = value
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue { .number(self) }
}

extension Int: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .number(let value) = json, value.rounded() == value, let exact = Int(exactly: value) else {
            throw ShapeDecoding.wrongType(json, expected: "integer", at: path)
        }
        self = exact
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue { .number(Double(self)) }
}

extension Int64: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .number(let value) = json, value.rounded() == value, let exact = Int64(exactly: value) else {
            throw ShapeDecoding.wrongType(json, expected: "integer", at: path)
        }
        self = exact
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue { .number(Double(self)) }
}

extension Date: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        switch json {
        case .number(let seconds):
            self = Date(timeIntervalSince1970: seconds)
        case .string(let text):
            guard let date = Timestamp.parseISO8601(text) else {
                throw .validation("Invalid timestamp '\(text)' for member \(path.quotedWithContainer): "
                    + "expected epoch seconds or an ISO 8601 date-time")
            }
            self = date
        default:
            throw ShapeDecoding.wrongType(json, expected: "timestamp (epoch seconds or ISO 8601 string)", at: path)
        }
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue {
        switch timestamps {
        case .epochSeconds: .number(Timestamp.epochSeconds(self))
        case .iso8601: .string(Timestamp.iso8601(self))
        }
    }
}

extension Array: ShapeValue where Element: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .array(let items) = json else { throw ShapeDecoding.wrongType(json, expected: "list", at: path) }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { result.append(try Element(json: item, at: path.element(i))) }
        self = result
    }

    public func json(_ timestamps: TimestampFormat) -> JSONValue { .array(map { $0.json(timestamps) }) }
}

extension Dictionary: ShapeValue where Key == String, Value: ShapeValue {
    public init(json: JSONValue, at path: ShapePath) throws(AppFlowError) {
        guard case .object(let members) = json else { throw ShapeDecoding.wrongType(json, expected: "map", at: path) }
        var result: [String: Value] = [:]
        for (key, value) in members { result[key] = try Value(json: value, at: path.entry(key)) }
        self = result
    }

    /// Keys are written sorted so the same map always prints the same way.
    public func json(_ timestamps: TimestampFormat) -> JSONValue {
        .object(keys.sorted().map { ($0, self[$0]!.json(timestamps)) })
    }
}

/// Reads the members of one JSON object for a generated structure, rejecting members the model does not define.
public struct ShapeObject {
    let members: [String: JSONValue]
    let path: ShapePath

    public init(_ json: JSONValue, at path: ShapePath, members names: [String]) throws(AppFlowError) {
        guard case .object(let entries) = json else {
            throw ShapeDecoding.wrongType(json, expected: "object", at: path)
        }
        var members: [String: JSONValue] = [:]
        for (key, value) in entries {
            guard names.contains(key) else {
                throw .validation(path.components.isEmpty ? "Unknown member '\(key)'" : "Unknown member '\(key)' at '\(path)'")
            }
            members[key] = value
        }
        self.members = members
        self.path = path
    }

    public func required<T: ShapeValue>(_ name: String) throws(AppFlowError) -> T {
        guard let value = members[name], value != .null else {
            throw .validation(path.components.isEmpty ? "Missing required member '\(name)'"
                : "Missing required member '\(name)' at '\(path)'")
        }
        return try T(json: value, at: path.member(name))
    }

    /// An absent member and an explicit `null` both read as nil, as the AWS SDKs treat them.
    public func optional<T: ShapeValue>(_ name: String) throws(AppFlowError) -> T? {
        guard let value = members[name], value != .null else { return nil }
        return try T(json: value, at: path.member(name))
    }
}

/// Builds the JSON object of a generated structure in model member order, leaving out nil members.
public struct ShapeObjectWriter {
    let timestamps: TimestampFormat
    var members: JSONValue.Members = []

    public init(_ timestamps: TimestampFormat) { self.timestamps = timestamps }

    public mutating func put<T: ShapeValue>(_ name: String, _ value: T?) {
        if let value { members.append((name, value.json(timestamps))) }
    }

    public var value: JSONValue { .object(members) }
}
