import Foundation
import Hummingbird
import NIOCore

/// Response helpers shared by the emulated services.
enum SandboxHTTP {
    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json;charset=UTF-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json;charset=UTF-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func bearer(_ request: Request) -> String? {
        guard let h = request.headers[.authorization], h.hasPrefix("Bearer ") else { return nil }
        return String(h.dropFirst(7))
    }

    static func basic(_ request: Request) -> (String, String)? {
        guard let h = request.headers[.authorization], h.hasPrefix("Basic "),
              let data = Data(base64Encoded: String(h.dropFirst(6))), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// The fault, if any, that answers this request instead of the service.
    static func fault(_ state: SandboxState) -> Response? {
        switch state.admit() {
        case .pass: return nil
        case .throttle(let seconds):
            var h = HTTPFields()
            h[.retryAfter] = String(seconds)
            return json(#"[{"message":"Too many requests (sandbox throttle)","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#,
                        status: .tooManyRequests, headers: h)
        case .fail:
            return json(#"[{"message":"Injected failure (sandbox)","errorCode":"SERVER_UNAVAILABLE"}]"#, status: .internalServerError)
        }
    }

    static func form(_ body: ByteBuffer) -> [String: String] {
        var out: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let v = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
            out[k] = v
        }
        return out
    }
}
