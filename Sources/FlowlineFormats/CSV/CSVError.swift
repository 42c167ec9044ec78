/// Why a CSV file could not be read or written at all (single bad records are `MalformedRow`s).
public enum CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no header row (it is empty, or holds only a byte order mark).
    case missingHeader(path: String)
    /// The header row itself is malformed (bad quoting, invalid UTF-8).
    case malformedHeader(path: String, reason: String)
    /// A header field is empty; `column` is 1-based.
    case emptyHeaderName(path: String, column: Int)
    /// Two header fields share a name; `columns` are 1-based.
    case duplicateHeaderName(path: String, name: String, columns: [Int])
    /// A row handed to the writer does not have one value per schema field.
    case rowWidthMismatch(path: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .missingHeader(let path):
            return "CSV file \(path) has no header row"
        case .malformedHeader(let path, let reason):
            return "CSV file \(path): malformed header row: \(reason)"
        case .emptyHeaderName(let path, let column):
            return "CSV file \(path): header column \(column) has an empty name"
        case .duplicateHeaderName(let path, let name, let columns):
            return "CSV file \(path): header name \"\(name)\" appears in columns \(columns.map(String.init).joined(separator: ", "))"
        case .rowWidthMismatch(let path, let expected, let found):
            return "CSV file \(path): row has \(found) values but the schema has \(expected) fields"
        }
    }
}
