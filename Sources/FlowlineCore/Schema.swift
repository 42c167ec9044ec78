/// A named, typed, ordered list of fields shared by every record of a batch.
public struct Field: Sendable, Hashable, Codable {
    public var name: String
    public var type: FieldType
    public var nullable: Bool

    public init(name: String, type: FieldType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

public struct Schema: Sendable, Hashable, Codable {
    public var fields: [Field]

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    public var names: [String] { fields.map(\.name) }

    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    public subscript(name: String) -> Field? {
        index(of: name).map { fields[$0] }
    }
}
