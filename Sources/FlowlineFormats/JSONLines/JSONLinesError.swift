/// Why a JSON-lines file could not be written (single bad lines when reading are `MalformedRow`s).
public enum JSONLinesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A row handed to the writer does not have one value per schema field.
    case rowWidthMismatch(path: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .rowWidthMismatch(let path, let expected, let found):
            return "JSON lines file \(path): row has \(found) values but the schema has \(expected) fields"
        }
    }
}
