import FlowlineAPI
import FlowlineCore

/// One page as received: the parsed body and the call that fetched it.
public struct FetchedPage: Sendable {
    public var call: HTTPCall
    public var reply: HTTPReply
    public var json: JSONValue
}

/// Where the next page is, given the current one (a next URL, a cursor, an offset); nil at the end.
public protocol Paginator: Sendable {
    func next(after page: FetchedPage, recordCount: Int) throws(ConnectorError) -> HTTPCall?
}

/// The records in a page.
public protocol RecordSelector: Sendable {
    func records(in page: FetchedPage) throws(ConnectorError) -> [JSONValue]
}

/// How a connector expresses an incremental window `[from, to)` in its first request.
public protocol IncrementalCursor: Sendable {
    func apply(_ window: IncrementalWindow, to call: inout HTTPCall)
}

/// How a service reports errors in non-2xx replies, and whether a 401 means an expired token.
public protocol ErrorDecoder: Sendable {
    func error(for reply: HTTPReply, service: String) -> ConnectorError
}

/// Records found under one key path of the page (`records`, `result`, `messages`, `d.results`).
public struct KeyPathSelector: RecordSelector {
    let path: [String]
    public init(_ path: String...) { self.path = path }

    public func records(in page: FetchedPage) throws(ConnectorError) -> [JSONValue] {
        var node: JSONValue? = page.json
        for key in path { node = node?[key] }
        guard let array = node?.arrayValue else {
            throw .malformed(service: "", detail: "no '\(path.joined(separator: "."))' array in the response")
        }
        return array
    }
}

/// The next page's absolute or host-relative URL found under a key path; none when absent or null.
public struct NextURLPaginator: Paginator {
    let path: [String]
    let baseURL: String
    public init(baseURL: String, _ path: String...) {
        self.path = path
        self.baseURL = baseURL
    }

    public func next(after page: FetchedPage, recordCount: Int) throws(ConnectorError) -> HTTPCall? {
        var node: JSONValue? = page.json
        for key in path { node = node?[key] }
        guard let next = node?.stringValue, !next.isEmpty else { return nil }
        var call = page.call
        call.url = next.hasPrefix("http") ? next : baseURL + next
        return call
    }
}

/// A generic error reply: the body's text, trimmed, as the message.
public struct PlainErrorDecoder: ErrorDecoder {
    public init() {}
    public func error(for reply: HTTPReply, service: String) -> ConnectorError {
        .api(service: service, status: reply.status, code: "HTTP \(reply.status)", message: String(reply.bodyText.prefix(300)))
    }
}
