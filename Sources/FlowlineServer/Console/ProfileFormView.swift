import FlowlineAPI

/// The inputs of a connection form, rendered from the model's profile shapes: scalar members as
/// fields, nested structures as fieldsets, alternatives (SAP OData's basic or OAuth credentials)
/// as a radio group that picks the one sent. Secrets are password inputs that never carry a value.
enum ProfileFormView {
    static func items(_ section: ProfileSection, values: [String: String], errors: FieldErrors) -> String {
        var out = ""
        let chosen = section.isChoice ? (values[section.choiceName].flatMap { $0.isEmpty ? nil : $0 } ?? section.sections.first?.member ?? "") : nil
        if let chosen {
            out += "<div class=\"field choice\" role=\"radiogroup\"><label>Authentication</label>"
            for nested in section.sections {
                let id = "f-\(section.choiceName).\(nested.member)"
                out += "<label class=\"check\"><input type=\"radio\" id=\"\(HTML.escape(id))\" name=\"\(HTML.escape(section.choiceName))\" "
                out += "value=\"\(HTML.escape(nested.member))\" data-choice\(nested.member == chosen ? " checked" : "")> \(HTML.escape(nested.label))</label>"
            }
            out += "</div>"
        }
        for item in section.items {
            switch item {
            case .field(let field):
                out += control(field, values: values, errors: errors)
            case .section(let nested):
                var attributes = "id=\"s-\(HTML.escape(nested.formName))\""
                if let chosen {
                    attributes += " data-choice-for=\"\(HTML.escape(section.choiceName))\" data-choice-value=\"\(HTML.escape(nested.member))\""
                    if nested.member != chosen { attributes += " hidden" }
                }
                let optional = chosen == nil && !nested.required ? " (optional)" : ""
                out += "<fieldset \(attributes)><legend>\(HTML.escape(nested.label + optional))</legend>"
                out += HTML.errorList(errors[nested.formName], for: nested.formName, label: nested.label)
                out += items(nested, values: values, errors: errors)
                out += "</fieldset>"
            }
        }
        return out
    }

    private static func control(_ field: ProfileField, values: [String: String], errors: FieldErrors) -> String {
        let label = field.label + (field.required ? "" : " (optional)")
        let value = field.secret ? "" : (values[field.formName] ?? "")
        let required = field.required ? "aria-required=\"true\"" : ""
        let control: String
        var hint = ""
        switch field.kind {
        case _ where field.secret: control = HTML.password(field.formName, extra: required)
        case .bool: control = HTML.select(field.formName, [("false", "false"), ("true", "true")], selected: value.isEmpty ? "false" : value)
        case .choice(let choices): control = HTML.select(field.formName, [("", "—")] + choices.map { ($0, $0) }, selected: value, extra: required)
        case .number: control = HTML.input(field.formName, value, extra: "inputmode=\"numeric\" " + required)
        case .list: control = HTML.input(field.formName, value, extra: required); hint = "Separate values with commas or spaces."
        case .text: control = HTML.input(field.formName, value, extra: required)
        }
        return HTML.field(label, name: field.formName, control, errors: errors, hint: hint, required: field.required)
    }

    /// Stored (non-secret) values as form values: nested objects under dotted names, lists joined.
    static func flatten(_ value: JSONValue, prefix: String, into values: inout [String: String]) {
        switch value {
        case .object(let members): for (key, member) in members { flatten(member, prefix: prefix + "." + key, into: &values) }
        case .string(let s): values[prefix] = s
        case .bool(let b): values[prefix] = b ? "true" : "false"
        case .number(let n): values[prefix] = ConsoleFormat.number(n)
        case .array(let items): values[prefix] = items.compactMap { if case .string(let s) = $0 { s } else { nil } }.joined(separator: ", ")
        default: break
        }
    }
}
