import Foundation
import Hummingbird

/// The ICF logon in front of every SAP Gateway service. SAP users exist per client, so the client
/// is settled first (the `sap-client` URL parameter, else the `sap-client` header, else the
/// system's default client), then the user and password are checked in it. Both failures are an
/// HTTP 401 from the logon, before Gateway is reached (so an HTML page, not Gateway's JSON), told
/// apart by SAP's logon messages: "Client 200 is not available in this system" for a client the
/// system does not have, "Name or password is incorrect (repeat logon)" for wrong credentials (the
/// texts SAP's logon gives, as SAP JCo surfaces them with JCO_ERROR_LOGON_FAILURE). A request
/// without a client logs on to the default client
/// (https://github.com/cesar-sap/abap_fm_json/issues/2: "you only need to include it if you want to
/// access a client different to the login client").
struct SAPODataLogon {
    let state: SandboxState
    static let defaultClient = "100"
    static let clients: Set<String> = ["100"]

    /// Nil when the request may go on; otherwise the 401 that answers it.
    func refusal(_ request: Request) -> Response? {
        let client = SAPODataRoutes.params(request)["sap-client"] ?? request.headers[HTTPFields.Element.Name("sap-client")!] ?? Self.defaultClient
        guard Self.clients.contains(client) else {
            return Self.page("Client \(client) is not available in this system")
        }
        let basicOK = SandboxHTTP.basic(request).map { $0.0 == state.username && $0.1 == state.password } ?? false
        guard basicOK || state.isValid(bearer: SandboxHTTP.bearer(request)) else {
            return Self.page("Name or password is incorrect (repeat logon)")
        }
        return nil
    }

    static func page(_ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.wwwAuthenticate] = #"Basic realm="SAP NetWeaver Application Server [SBX/\#(defaultClient)]""#
        let html = "<html><head><title>Logon Error Message</title></head><body><h1>Logon failed</h1><p id=\"msgText\">\(escaped(message))</p></body></html>"
        return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: .init(string: html)))
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
