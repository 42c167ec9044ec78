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

    static func input(_ name: String, _ value: String, type: String = "text", extra: String = "") -> String {
        "<input type=\"\(type)\" id=\"f-\(escape(name))\" name=\"\(escape(name))\" value=\"\(escape(value))\" \(extra)>"
    }

    /// A password input never carries a value back to the browser.
    static func password(_ name: String, placeholder: String = "") -> String {
        "<input type=\"password\" id=\"f-\(escape(name))\" name=\"\(escape(name))\" value=\"\" autocomplete=\"new-password\" placeholder=\"\(escape(placeholder))\">"
    }

    static func textarea(_ name: String, _ value: String, rows: Int = 4, extra: String = "") -> String {
        "<textarea id=\"f-\(escape(name))\" name=\"\(escape(name))\" rows=\"\(rows)\" \(extra)>\(escape(value))</textarea>"
    }

    static func select(_ name: String, _ options: [(value: String, label: String)], selected: String, extra: String = "") -> String {
        let items = options.map { option in
            "<option value=\"\(escape(option.value))\"\(option.value == selected ? " selected" : "")>\(escape(option.label))</option>"
        }.joined()
        return "<select id=\"f-\(escape(name))\" name=\"\(escape(name))\" \(extra)>\(items)</select>"
    }

    static func checkbox(_ name: String, value: String, checked: Bool, label: String) -> String {
        "<label class=\"check\"><input type=\"checkbox\" name=\"\(escape(name))\" value=\"\(escape(value))\"\(checked ? " checked" : "")> \(escape(label))</label>"
    }

    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }

    /// A labelled form field with its hint and the validation messages that belong to it.
    static func field(_ label: String, name: String, _ control: String, errors: FieldErrors, hint: String = "") -> String {
        var out = "<div class=\"field\(errors[name].isEmpty ? "" : " invalid")\"><label for=\"f-\(escape(name))\">\(escape(label))</label>\(control)"
        if !hint.isEmpty { out += "<p class=\"hint\">\(escape(hint))</p>" }
        out += errorList(errors[name], for: name)
        return out + "</div>"
    }

    static func errorList(_ messages: [String], for name: String) -> String {
        messages.map { "<p class=\"error\" data-error-for=\"\(escape(name))\">\(escape($0))</p>" }.joined()
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
