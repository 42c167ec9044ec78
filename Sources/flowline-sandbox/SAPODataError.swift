import Foundation
import Hummingbird

/// SAP Gateway's JSON error body: `code` (T100 message class and number), `message` with language
/// and text, and `innererror` with the service, a transaction id, a timestamp, the resolution hints
/// and `errordetails` (https://help.sap.com/saphelp_gateway20sp12/helpdata/en/91/76cadd9a784baeab108d61f54e2601/content.htm;
/// the JSON shape as SAP shows it for an S/4HANA API: https://s4hanacloud.community.sap/blogs/show/rSLp20bFadoFsVEQFiiq7z).
enum SAPODataError {
    static func response(_ status: HTTPResponse.Status, code: String, message: String, service: String) -> Response {
        let text = SandboxFormat.jsonString(message)
        let transaction = (0..<4).map { _ in String(format: "%08X", UInt32.random(in: 0...UInt32.max)) }.joined()
        let body = #"{"error":{"code":"\#(code)","message":{"lang":"en","value":\#(text)},"innererror":{"# +
            #""application":{"component_id":"","service_namespace":"/SAP/","service_id":"\#(service)","service_version":"0001"},"# +
            #""transactionid":"\#(transaction)","timestamp":"\#(timestamp(Date()))","# +
            #""Error_Resolution":{"SAP_Transaction":"","SAP_Note":"See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)"},"# +
            #""errordetails":[{"code":"\#(code)","message":\#(text),"propertyref":"","severity":"error","target":""}]}}}"#
        return SandboxHTTP.json(body, status: status)
    }

    /// `yyyyMMddHHmmss.fffffff` in UTC, Gateway's form.
    static func timestamp(_ date: Date) -> String {
        let ms = Int64(date.timeIntervalSince1970 * 1000)
        let iso = SandboxFormat.time(ms, .iso)   // 2026-01-02T03:04:05Z
        let digits = iso.filter(\.isNumber)
        return digits + "." + String(format: "%03d", ms % 1000) + "0000"
    }
}
