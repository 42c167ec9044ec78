/// A last line of defence for messages shown to people: the password travels to libpq as a
/// connection parameter and is never put into SQL or message text by Flowline, so it reaches a
/// message only if a server or library echoes it.
///
/// Only a whole-token occurrence of a secret of 8 characters or more is replaced. A short
/// password (`x`, `sales`, `public`) is a common word or a piece of one: replacing it would
/// corrupt the message (`schema "analytics" does not e********ist`) and, by marking where it
/// stood, tell the password to whoever reads the message.
enum Redaction {
    static let mask = "********"
    static let shortestRedacted = 8

    static func remove(_ secret: String?, from text: String) -> String {
        guard let secret, secret.count >= shortestRedacted else { return text }
        var out = ""
        var rest = text[...]
        while let found = rest.range(of: secret) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            out += rest[..<found.lowerBound]
            out += isWordCharacter(before) || isWordCharacter(after) ? String(rest[found]) : mask
            rest = rest[found.upperBound...]
        }
        return out + rest
    }

    /// Letters, digits and `_` continue a token; anything else (spaces, quotes, `=`, `:`) ends it.
    private static func isWordCharacter(_ c: Character?) -> Bool {
        guard let c else { return false }
        return c.isLetter || c.isNumber || c == "_"
    }
}
