import Foundation

/// A server's `d.__next` link made safe to follow. It is resolved against the page it came from
/// and followed only on the profile's own scheme, host and port: the link is in the response body,
/// and the call that follows it carries the profile's credentials, so a response must not be able
/// to send them anywhere else. The followed URL keeps the profile's `sap-client` (a link to another
/// client would read another client's data), and asks for JSON.
struct SAPODataNextLink: Sendable {
    /// The origin every call must go to: `scheme://host:port` of the profile's service URL.
    let origin: Origin?
    /// `sap-client` and, when set, `sap-language`.
    let fixedQuery: [(String, String)]

    struct Origin: Sendable, Equatable, CustomStringConvertible {
        var scheme: String
        var host: String
        var port: Int

        init?(_ url: String) {
            guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), let host = c.host?.lowercased(),
                  !host.isEmpty else { return nil }
            guard let port = c.port ?? Self.defaultPort(scheme) else { return nil }
            self.scheme = scheme
            self.host = host
            self.port = port
        }

        static func defaultPort(_ scheme: String) -> Int? {
            switch scheme {
            case "http": return 80
            case "https": return 443
            default: return nil
            }
        }

        var description: String { "\(scheme)://\(host):\(port)" }
    }

    init(serviceURL: String, fixedQuery: [(String, String)]) {
        // Nil only for a service URL that is not http(s) with a host: then no link is followed.
        origin = Origin(serviceURL)
        self.fixedQuery = fixedQuery
    }

    /// The URL to fetch for `next`, found in the page fetched from `pageURL`.
    func resolve(_ next: String, from pageURL: String, entitySet: String) throws(ConnectorError) -> String {
        guard let base = URL(string: pageURL), let absolute = URL(string: next, relativeTo: base)?.absoluteURL,
              var components = URLComponents(url: absolute, resolvingAgainstBaseURL: false) else {
            throw .malformed(service: "SAP OData", detail: "\(entitySet): the server's __next link is not a URL")
        }
        // User information in a link is refused too: the call's own credentials are the profile's.
        guard let origin, let target = Origin(absolute.absoluteString), target == origin,
              components.user == nil, components.password == nil else {
            let shown = Origin(absolute.absoluteString)?.description ?? "another address"
            throw .malformed(service: "SAP OData", detail: "\(entitySet): the server's __next link points to \(shown), "
                             + "not to the profile's \(origin?.description ?? "service URL"); it was not followed")
        }
        var items = (components.percentEncodedQuery ?? "").split(separator: "&").map(String.init)
        func name(_ item: String) -> String {
            let raw = item.split(separator: "=", maxSplits: 1).first.map(String.init) ?? item
            return raw.removingPercentEncoding ?? raw
        }
        func value(_ item: String) -> String {
            let parts = item.split(separator: "=", maxSplits: 1)
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
        }
        for (key, expected) in fixedQuery {
            if let present = items.first(where: { name($0) == key }) {
                if key == "sap-client", value(present) != expected {
                    throw .malformed(service: "SAP OData", detail: "\(entitySet): the server's __next link names sap-client "
                                     + "\(value(present)), not the profile's \(expected); it was not followed")
                }
            } else {
                items.append("\(HTTPCall.percentEncode(key))=\(HTTPCall.percentEncode(expected))")
            }
        }
        if !items.contains(where: { name($0) == "$format" }) { items.append("%24format=json") }
        components.percentEncodedQuery = items.joined(separator: "&")
        guard let url = components.string else {
            throw .malformed(service: "SAP OData", detail: "\(entitySet): the server's __next link is not a URL")
        }
        return url
    }
}
