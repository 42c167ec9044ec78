import Foundation
import FlowlineAPI

/// Validation messages of the service placed next to the form fields they are about.
///
/// The service's messages name the member they concern (`Value '-x' at 'flowName' failed …`,
/// `Missing required member 'bucketName' at '…'`, `triggerConfig.triggerProperties…: …`,
/// `Task 3 (Mask): …`); a form names each field after the request member it fills, so a message
/// goes to the field whose member path is the longest prefix of the message's path.
struct FieldErrors: Sendable {
    private(set) var byField: [String: [String]] = [:]
    /// Messages no field on the page claims, shown at the top of the form.
    private(set) var general: [String] = []

    subscript(_ field: String) -> [String] { byField[field] ?? [] }
    var isEmpty: Bool { byField.isEmpty && general.isEmpty }

    mutating func add(_ message: String, to field: String?) {
        if let field { byField[field, default: []].append(message) } else { general.append(message) }
    }

    mutating func merge(_ other: FieldErrors) {
        for (field, messages) in other.byField { byField[field, default: []] += messages }
        general += other.general
    }

    /// Splits an AppFlowError into its failures and routes each to a field.
    /// `fields` maps a form field name to the member paths it fills (`tags`, `sourceFlowConfig.sourceConnectorProperties`).
    init(_ error: AppFlowError, fields: [String: [String]]) {
        for failure in Self.failures(error) {
            add(failure, to: Self.field(for: failure, fields: fields))
        }
    }

    init() {}

    /// The separate failures of `N validation errors detected: a; b` (or the message itself).
    static func failures(_ error: AppFlowError) -> [String] {
        let message = error.message
        guard error.code == .validation,
              let range = message.range(of: #"^\d+ validation errors? detected: "#, options: .regularExpression) else {
            return [message]
        }
        return message[range.upperBound...].components(separatedBy: "; Value ").enumerated().map { i, part in
            i == 0 ? part : "Value " + part
        }
    }

    /// The member path a failure names, dotted, list elements as `tasks.3.member`.
    static func memberPath(of failure: String) -> String? {
        if let m = capture(#"^Missing required member '([^']+)' at '([^']+)'"#, failure, groups: 2) { return m[1] + "." + m[0] }
        if let m = capture(#"member '([^']+)' at '([^']+)'"#, failure, groups: 2) { return m[1] + "." + m[0] }
        if let m = capture(#" at '([^']+)'"#, failure, groups: 1) { return m[0] }
        if let m = capture(#"member '([^']+)'"#, failure, groups: 1) { return m[0] }
        if let m = capture(#"^Task (\d+) \("#, failure, groups: 1) { return "tasks.\(m[0]).member" }
        // `scheduleEndTime must be after scheduleStartTime`: a member named first.
        if let m = capture(#"^([a-z][a-zA-Z0-9]*) must "#, failure, groups: 1) { return m[0] }
        if let m = capture(#"^([a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9]+)*)[: ]"#, failure, groups: 1), m[0].contains(".") || m[0].hasSuffix("Config") {
            return m[0]
        }
        return nil
    }

    static func field(for failure: String, fields: [String: [String]]) -> String? {
        guard let path = memberPath(of: failure) else { return nil }
        var best: (field: String, length: Int)?
        for (field, prefixes) in fields {
            for prefix in prefixes where path == prefix || path.hasPrefix(prefix + ".") || path.hasPrefix(prefix + "[") {
                if prefix.count > (best?.length ?? -1) { best = (field, prefix.count) }
            }
        }
        return best?.field
    }

    private static func capture(_ pattern: String, _ text: String, groups: Int) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1...groups).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
    }
}
