import Foundation

/// The one entry point for reading and writing AppFlow shapes as JSON.
public enum AppFlowJSON {
    /// Strictly decodes a request or response body: malformed JSON, unknown members (at any depth), missing required
    /// members, wrong JSON types and unknown enum values are all a ValidationException saying what and where.
    /// With `validate`, the model's constraints (patterns, lengths, counts, ranges) are checked as well.
    public static func decode<T: StructureShape>(_ type: T.Type, from data: Data,
                                                 validate: Bool = false) throws(AppFlowError) -> T {
        let value = try T(json: JSONValue.parse(data), at: ShapePath())
        if validate { try value.validate() }
        return value
    }

    /// JSON text of a shape in model member order, nil members left out. `.epochSeconds` is the REST-JSON wire form;
    /// `.iso8601` is what the AWS CLI prints with `cli_timestamp_format = iso8601`.
    public static func encode<T: ShapeValue>(_ value: T, timestamps: TimestampFormat = .epochSeconds,
                                             pretty: Bool = false) -> Data {
        value.json(timestamps).serialized(pretty: pretty)
    }
}
