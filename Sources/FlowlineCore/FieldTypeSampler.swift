/// Guesses the type of a text field from sample values: the narrowest type every sampled value
/// converts to exactly as a `Map` task's DESTINATION_DATA_TYPE would convert it.
///
/// Used where a source only knows text (CSV files) but a user wants numbers compared as numbers
/// and Parquet columns typed. Null and never-seen fields stay `string`; so does text a conversion
/// would change (`007`, `+5`, an empty string), so applying the guess never loses characters.
public struct FieldTypeSampler: Sendable {
    private var candidates: Set<FieldType> = [.int, .double, .date, .timestamp, .bool]
    public private(set) var values = 0

    public init() {}

    /// The guess so far: `string` until a value was seen.
    public var type: FieldType {
        guard values > 0 else { return .string }
        for type in [FieldType.int, .double, .date, .timestamp, .bool] where candidates.contains(type) { return type }
        return .string
    }

    /// Takes one value; null is skipped (it converts to null whatever the type).
    public mutating func add(_ value: Value) {
        switch value {
        case .null: return
        case .string(let text): add(text: text)
        default:
            values += 1
            if let type = value.fieldType { candidates.formIntersection([type]) }
        }
    }

    private mutating func add(text: String) {
        values += 1
        guard !candidates.isEmpty else { return }
        let trimmed = ValueConversion.trimmed(text)
        // Surrounding spaces would be trimmed by a conversion: the text would not come back as it was.
        guard trimmed.count == text.count, !text.isEmpty else { candidates = []; return }
        let number = Self.plainNumber(trimmed)
        if number != .integer { candidates.remove(.int) }
        // More than 15 significant digits do not survive a double.
        if number == nil || Self.significantDigits(trimmed) > 15 { candidates.remove(.double) }
        if candidates.contains(.int), ValueConversion.int(.string(text)) == nil { candidates.remove(.int) }
        // Dates and timestamps as ISO text only (a conversion would also take epoch milliseconds).
        let looksLikeTime = number == nil && trimmed.contains("-")
        if !looksLikeTime || ValueFormat.parseDate(trimmed) == nil { candidates.remove(.date) }
        if !looksLikeTime || ValueConversion.instant(.string(text)) == nil { candidates.remove(.timestamp) }
        if trimmed != "true" && trimmed != "false" { candidates.remove(.bool) }
    }

    private enum NumberShape { case integer, fraction }

    /// `-12`, `0`, `12.50`, `-0.5`: digits without a superfluous leading zero, a `+` or an exponent.
    private static func plainNumber(_ text: Substring) -> NumberShape? {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        let whole = digits.prefix { $0 >= 48 && $0 <= 57 }
        guard !whole.isEmpty, whole.count == 1 || whole.first != UInt8(ascii: "0") else { return nil }
        let rest = digits.dropFirst(whole.count)
        if rest.isEmpty { return .integer }
        guard rest.first == UInt8(ascii: "."), rest.count > 1, rest.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return .fraction
    }

    private static func significantDigits(_ text: Substring) -> Int {
        let digits = text.utf8.filter { $0 >= 48 && $0 <= 57 }
        return digits.drop { $0 == 48 }.count
    }
}
