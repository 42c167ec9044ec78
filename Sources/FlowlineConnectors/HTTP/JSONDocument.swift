import FlowlineAPI
import Foundation
import NIOCore

/// Response bodies parsed into `JSONValue`, with the accessors record selectors and paginators use.
public enum JSONDocument {
    public static func parse(_ body: ByteBuffer) throws -> JSONValue {
        try JSONValue.parse(Data(body.readableBytesView))
    }
}

extension JSONValue {
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
