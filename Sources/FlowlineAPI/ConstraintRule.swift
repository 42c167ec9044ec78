import Foundation

/// The constraints of a string shape (and of enum-typed map keys, which stay plain strings).
public struct StringRule: Sendable {
    let min: Int?
    let max: Int?
    let pattern: ModelPattern?
    let allowed: [String]?
    /// The model marks the shape `sensitive`: its values never appear in messages.
    let sensitive: Bool

    init(min: Int? = nil, max: Int? = nil, pattern: String? = nil, allowed: [String]? = nil, sensitive: Bool = false) {
        self.min = min
        self.max = max
        self.pattern = pattern.map(ModelPattern.init)
        self.allowed = allowed
        self.sensitive = sensitive
    }

    /// The constraint phrases `value` fails, in the order AWS lists them.
    func failures(_ value: String) -> [String] {
        var out: [String] = []
        let length = value.utf16.count  // the model counts Java (UTF-16) characters
        if let max, length > max { out.append("Member must have length less than or equal to \(max)") }
        if let min, length < min { out.append("Member must have length greater than or equal to \(min)") }
        if let pattern, !pattern.matchesWhole(value) {
            out.append("Member must satisfy regular expression pattern: \(pattern.source)")
        }
        if let allowed, !allowed.contains(value) {
            out.append("Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
        }
        return out
    }
}

/// The range of an integer, long or double shape.
public struct NumberRule: Sendable {
    let min: Double?
    let max: Double?

    init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    func failures(_ value: Double) -> [String] {
        var out: [String] = []
        if let max, value > max { out.append("Member must have value less than or equal to \(JSONValue.numberText(max))") }
        if let min, value < min { out.append("Member must have value greater than or equal to \(JSONValue.numberText(min))") }
        return out
    }
}

/// The item count of a list or map shape.
public struct CountRule: Sendable {
    let min: Int?
    let max: Int?
    /// The items are secret or are structures: a failure names the member without printing it.
    let hidesValue: Bool

    init(min: Int? = nil, max: Int? = nil, hidesValue: Bool = false) {
        self.min = min
        self.max = max
        self.hidesValue = hidesValue
    }

    func failures(_ count: Int) -> [String] {
        var out: [String] = []
        if let max, count > max { out.append("Member must have length less than or equal to \(max)") }
        if let min, count < min { out.append("Member must have length greater than or equal to \(min)") }
        return out
    }
}

/// A model `pattern`, compiled once. The model's patterns are Java regexes; ICU (behind NSRegularExpression)
/// reads the same syntax, lookaheads and `\uD800\uDC00` surrogate-pair ranges included. As in Java's
/// `String.matches`, the whole value must match.
final class ModelPattern: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation and documented as safe to share across threads.
    let source: String
    private let regex: NSRegularExpression

    init(_ source: String) {
        self.source = source
        do {
            regex = try NSRegularExpression(pattern: "\\A(?:\(source))\\z")
        } catch {
            // The patterns come from the generated model; a test compiles every one of them.
            preconditionFailure("model pattern does not compile: \(source)")
        }
    }

    func matchesWhole(_ value: String) -> Bool {
        regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
}
