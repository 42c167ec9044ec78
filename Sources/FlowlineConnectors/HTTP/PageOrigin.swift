import Foundation

/// Where a listing's pages may come from: the scheme, host and port of its first request, which
/// connectors build from the profile's own URL. A "next page" link anywhere else (Salesforce's
/// `nextRecordsUrl`, ServiceNow's `Link` header, Zendesk's `after_url`, OData's `__next`) is
/// refused before it is requested, so a hostile or compromised application cannot make a
/// connector send the profile's token to another host.
public struct PageOrigin: Sendable, Equatable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int

    /// The origin of an absolute http(s) URL without user information; nil otherwise.
    public init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty,
              components.user == nil, components.password == nil else { return nil }
        self.scheme = scheme
        self.host = host
        port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    public var description: String { "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Refuses `next` unless it goes to this origin.
    public func check(_ next: HTTPCall, service: String) throws(ConnectorError) {
        guard let other = PageOrigin(url: next.url), other == self else {
            let target = PageOrigin(url: next.url)?.description ?? HTTPCall.display(next.url)
            throw .malformed(service: service, detail: "the next page's link leads to \(target), not to the profile's \(self); it was not followed")
        }
    }
}
