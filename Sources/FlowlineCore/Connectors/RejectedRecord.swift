/// A record that did not make it through: unparseable, failed a conversion or a validation.
public struct RejectedRecord: Sendable, Hashable {
    /// Where it came from, for the user: e.g. `orders/2026-11-01.csv line 17` or `batch row 3`.
    public var location: String
    /// The record's fields as text (nil for null), or the raw line when it could not be parsed.
    public var values: [String?]
    public var reason: String

    public init(location: String, values: [String?], reason: String) {
        self.location = location
        self.values = values
        self.reason = reason
    }
}
