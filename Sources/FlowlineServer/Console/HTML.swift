import Foundation

/// Small builders for server-rendered HTML. Every piece of text that comes from a user or the
/// store goes through `escape`; builders take raw text and escape it themselves.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `/console/flows/a%20b`: a path segment percent-encoded for an href or action.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? text
    }

    /// The element id of a control: `f-` and its name, unless the control is one of several rows
    /// sharing a name (`f-mask.field-2`).
    static func controlID(_ name: String, _ id: String?) -> String { id ?? "f-" + name }

    static func input(_ name: String, _ value: String, type: String = "text", id: String? = nil, extra: String = "") -> String {
        "<input type=\"\(type)\" id=\"\(escape(controlID(name, id)))\" name=\"\(escape(name))\" value=\"\(escape(value))\" \(extra)>"
    }

    /// A password input never carries a value back to the browser.
    static func password(_ name: String, placeholder: String = "", extra: String = "") -> String {
        "<input type=\"password\" id=\"f-\(escape(name))\" name=\"\(escape(name))\" value=\"\" autocomplete=\"new-password\" placeholder=\"\(escape(placeholder))\" \(extra)>"
    }

    static func textarea(_ name: String, _ value: String, rows: Int = 4, extra: String = "") -> String {
        "<textarea id=\"f-\(escape(name))\" name=\"\(escape(name))\" rows=\"\(rows)\" \(extra)>\(escape(value))</textarea>"
    }

    struct Option: Sendable {
        var value: String
        var label: String
        /// Raw attributes for the option (`data-types="…"`), already escaped.
        var attributes = ""
    }

    static func select(_ name: String, _ options: [(value: String, label: String)], selected: String, id: String? = nil, extra: String = "") -> String {
        select(name, options.map { Option(value: $0.value, label: $0.label) }, selected: selected, id: id, extra: extra)
    }

    static func select(_ name: String, _ options: [Option], selected: String, id: String? = nil, extra: String = "") -> String {
        let items = options.map { option in
            let attributes = option.attributes.isEmpty ? "" : " " + option.attributes
            return "<option value=\"\(escape(option.value))\"\(attributes)\(option.value == selected ? " selected" : "")>\(escape(option.label))</option>"
        }.joined()
        return "<select id=\"\(escape(controlID(name, id)))\" name=\"\(escape(name))\" \(extra)>\(items)</select>"
    }

    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }

    /// A labelled form field with its hint and the validation messages that belong to it.
    /// `required` marks the label (the form is `novalidate`: the server decides, the mark informs).
    static func field(_ label: String, name: String, _ control: String, errors: FieldErrors, hint: String = "", id: String? = nil,
                      required: Bool = false, attributes: String = "") -> String {
        let mark = required ? " <span class=\"required\">(required)</span>" : ""
        var out = "<div class=\"field\(errors[name].isEmpty ? "" : " invalid")\"\(attributes.isEmpty ? "" : " " + attributes)>"
        out += "<label for=\"\(escape(controlID(name, id)))\">\(escape(label))\(mark)</label>\(control)"
        if !hint.isEmpty { out += "<p class=\"hint\">\(hintHTML(hint))</p>" }
        out += errorList(errors[name], for: name, label: label)
        return out + "</div>"
    }

    /// A hint's text, escaped, with `code` spans shown as code rather than as raw backticks.
    static func hintHTML(_ hint: String) -> String {
        let parts = hint.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count > 2, parts.count % 2 == 1 else { return escape(hint) }
        return parts.enumerated().map { i, part in i % 2 == 1 ? "<code>\(escape(String(part)))</code>" : escape(String(part)) }.joined()
    }

    /// The messages that belong to a field: each in plain words, with the API's own wording on request.
    static func errorList(_ messages: [String], for name: String, label: String? = nil) -> String {
        messages.map { raw in
            let plain = PlainMessage.text(raw, label: label)
            var out = "<div class=\"error\" data-error-for=\"\(escape(name))\"><span class=\"plain\">\(escape(plain))</span>"
            if plain != raw {
                out += "<details class=\"api-message\"><summary>The API's message</summary><code>\(escape(raw))</code></details>"
            }
            return out + "</div>"
        }.joined()
    }

    static func table(_ headers: [String], _ rows: [[String]], id: String = "") -> String {
        let head = headers.map { "<th>\(escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined()
        return "<table\(id.isEmpty ? "" : " id=\"\(escape(id))\"")><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }

    static func link(_ href: String, _ text: String, extra: String = "") -> String {
        "<a href=\"\(escape(href))\" \(extra)>\(escape(text))</a>"
    }
}
