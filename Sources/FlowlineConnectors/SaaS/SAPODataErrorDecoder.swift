import FlowlineAPI
import Foundation

/// SAP's own words for a failed call, whichever form they come in: a Gateway error in JSON
/// (`{"error": {"code": "/IWBEP/CM_MGW_RT/020", "message": {"lang": "en", "value": …}}}`) or XML
/// (`<error><code>…</code><message>…</message></error>`), or the ICF logon page (HTML) that SAP
/// answers before the service is reached, e.g. for a client that does not exist. A refused logon
/// names the `sap-client` it was for, since a wrong client is refused like a wrong password.
struct SAPODataErrorDecoder: ErrorDecoder {
    /// The profile's `clientNumber`.
    let client: String

    func error(for reply: HTTPReply, service: String) -> ConnectorError {
        let said = Self.message(in: reply)
        let logon = reply.status == 401 ? " (logon to sap-client \(client))" : ""
        if let said {
            return .api(service: service, status: reply.status, code: said.code ?? Self.statusName(reply.status),
                        message: said.text + logon)
        }
        if reply.status == 401 {
            return .api(service: service, status: 401, code: "Unauthorized",
                        message: "SAP gave no reason; the user, the password or the client may be wrong\(logon)")
        }
        return PlainErrorDecoder().error(for: reply, service: service)
    }

    static func statusName(_ status: Int) -> String {
        switch status {
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        default: return "HTTP \(status)"
        }
    }

    /// The code (when SAP gave one) and the message of an error reply; nil when the body says nothing.
    static func message(in reply: HTTPReply) -> (code: String?, text: String)? {
        let body = reply.bodyText
        if let json = try? JSONDocument.parse(reply.body), let e = json["error"] {
            let text = e["message"]?["value"]?.stringValue ?? e["message"]?.stringValue ?? ""
            return (e["code"]?.stringValue, text.isEmpty ? "(no message)" : text)
        }
        let tags = SAPODataMetadata.tags(body)
        if tags.first(where: { !$0.closing })?.name == "error" {
            let code = elementText("code", in: body)
            let text = elementText("message", in: body) ?? ""
            return (code, text.isEmpty ? "(no message)" : text)
        }
        let text = visibleText(body)
        return text.isEmpty ? nil : (nil, String(text.prefix(400)))
    }

    /// The text of the first `<name …>…</name>` element (namespace prefixes allowed).
    static func elementText(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: #"<([A-Za-z0-9_]+:)?\#(name)(\s[^>]*)?>"#, options: .regularExpression),
              let close = xml.range(of: #"</([A-Za-z0-9_]+:)?\#(name)>"#, options: .regularExpression,
                                    range: open.upperBound..<xml.endIndex) else { return nil }
        return SAPODataMetadata.unescape(String(xml[open.upperBound..<close.lowerBound])).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What a reader of an HTML page sees (without head, scripts and styles), its blocks (headings,
    /// paragraphs…) joined by ": " and whitespace collapsed; plain text as it is.
    static func visibleText(_ html: String) -> String {
        var text = html
        for element in ["head", "script", "style"] {
            text = text.replacingOccurrences(of: #"<\#(element)[\s>][\s\S]*?</\#(element)>"#, with: " ",
                                             options: [.regularExpression, .caseInsensitive])
        }
        text = text.replacingOccurrences(of: #"</?(h[1-6]|p|div|li|tr|td|br|title|table|ul|ol|body|html)(\s[^>]*)?/?>"#, with: "\n",
                                         options: [.regularExpression, .caseInsensitive])
        text = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        text = SAPODataMetadata.unescape(text.replacingOccurrences(of: "&nbsp;", with: " "))
        return text.split(separator: "\n")
            .map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .joined(separator: ": ")
    }
}
