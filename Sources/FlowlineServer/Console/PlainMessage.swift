import Foundation

/// The service's validation messages in plain words for a form: what is wrong with the field the
/// user sees, not the request member path. The console shows the API's own wording beside it, on
/// request, so nothing is lost; messages that are already plain are kept as they are.
enum PlainMessage {
    static func text(_ raw: String, label: String?) -> String {
        if let phrase = phrases[raw] { return phrase }
        if let m = match(#"^Missing required member '([^']+)'"#, raw) {
            return "\(name(label, member: m[0])) is required."
        }
        guard let m = match(#"^Value '(.*)' at '([^']+)' failed to satisfy constraint: Member must (.*)$"#, raw) else { return raw }
        let value = m[0], member = String(m[1].split(separator: ".").last ?? ""), rule = m[2]
        let field = name(label, member: member)
        let isCollection = value.hasPrefix("{") || value.hasPrefix("[")
        if let n = match(#"^have length greater than or equal to (\d+)"#, rule)?.first {
            if value.isEmpty { return "\(field) is required." }
            return isCollection ? "\(field) needs at least \(n)." : "\(field) must be at least \(characters(n)) long."
        }
        if let n = match(#"^have length less than or equal to (\d+)"#, rule)?.first {
            if member == "tags" { return "A flow can have at most \(n) tags." }
            return isCollection ? "\(field) can have at most \(n)." : "\(field) must be at most \(characters(n)) long."
        }
        if let n = match(#"^be greater than or equal to (\S+)"#, rule)?.first { return "\(field) must be at least \(n)." }
        if let n = match(#"^be less than or equal to (\S+)"#, rule)?.first { return "\(field) must be at most \(n)." }
        if let list = match(#"^satisfy enum value set: \[(.*)\]"#, rule)?.first { return "\(field) must be one of: \(list)." }
        if rule.hasPrefix("satisfy regular expression pattern") {
            if value.isEmpty { return "\(field) is required." }
            return "\(field) “\(value)” is not allowed: \(allowedCharacters[member] ?? "it has characters this field does not take.")"
        }
        return raw
    }

    /// Whole messages of the service said another way.
    private static let phrases: [String: String] = [
        "scheduleEndTime must be after scheduleStartTime": "The schedule must end after it starts.",
    ]

    /// What the model's name patterns allow, in words.
    private static let allowedCharacters: [String: String] = [
        "flowName": "use letters, digits and _ ! @ # . - and start with a letter or digit (at least 2 characters).",
        "connectorProfileName": "use letters, digits and _ / ! @ # + = . - only.",
        "connectorLabel": "use letters, digits and _ ! @ # . - and start with a letter or digit.",
        "bucketName": "a bucket name has no spaces.",
        "kmsArn": "choose a key from the list (an ARN such as arn:aws:kms:…).",
    ]

    private static func name(_ label: String?, member: String) -> String {
        label ?? ProfileFormModel.label(member)
    }

    private static func characters(_ n: String) -> String { n == "1" ? "1 character" : "\(n) characters" }

    private static func match(_ pattern: String, _ text: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]),
              let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<found.numberOfRanges).map { Range(found.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
    }
}
