/// Why a Parquet file could not be written. Descriptions name the file, column and row, never values,
/// since values may be personal data.
import FlowlineCore

public enum ParquetWriterError: Error, CustomStringConvertible, Equatable {
    case invalidOptions(path: String, reason: String)
    /// A row does not have one value per schema field.
    case rowWidthMismatch(path: String, row: Int64, expected: Int, found: Int)
    /// The batch's schema differs from the writer's (names or types).
    case schemaMismatch(path: String, reason: String)
    case typeMismatch(path: String, column: String, row: Int64, expected: FieldType, found: FieldType)
    case decimalNotRepresentable(path: String, column: String, row: Int64, precision: Int, scale: Int, reason: String)
    case writerClosed(path: String)
    /// An earlier write failed, so the file is incomplete and must be discarded.
    case writerFailed(path: String)

    public var description: String {
        switch self {
        case let .invalidOptions(path, reason):
            return "Parquet file \(path): invalid options: \(reason)"
        case let .rowWidthMismatch(path, row, expected, found):
            return "Parquet file \(path): row \(row) has \(found) values but the schema has \(expected) fields"
        case let .schemaMismatch(path, reason):
            return "Parquet file \(path): batch schema does not match the file schema: \(reason)"
        case let .typeMismatch(path, column, row, expected, found):
            return "Parquet file \(path): column '\(column)' row \(row): expected a \(expected.rawValue) value, found \(found.rawValue)"
        case let .decimalNotRepresentable(path, column, row, precision, scale, reason):
            return "Parquet file \(path): column '\(column)' row \(row): decimal cannot be stored exactly as DECIMAL(\(precision), \(scale)): \(reason)"
        case let .writerClosed(path):
            return "Parquet file \(path): writer is already closed"
        case let .writerFailed(path):
            return "Parquet file \(path): an earlier write failed; the file is incomplete"
        }
    }
}
