import Foundation
import Hummingbird

/// How the emulated SAP Gateway pages and counts; the defaults are the sandbox's historical behaviour.
struct SAPODataSwitches: Sendable {
    /// Server-driven paging: at most this many entities per response, then `d.__next` with a
    /// `$skiptoken` (nil: responses are cut at `--page-size` with a `$skip`/`$top` next link).
    var serverPageSize: Int?
    /// Added to what `$inlinecount=allpages` and `/$count` report, so tests can make the count lie.
    var countOffset = 0
}

/// `POST /_sandbox/sap[?serverPageSize=N][&countOffset=K][&records=N]`: sets the SAP switches
/// (`serverPageSize=0` turns server paging off; `records=N` regenerates `A_BusinessPartner` with N
/// records from the same seed) and answers the switches now in force.
struct SAPODataAdminRoutes {
    let state: SandboxState
    /// The generator the sandbox started with, to regenerate the entity set at another size.
    let generator: SandboxGenerator

    func add(to router: Router<BasicRequestContext>) {
        router.post("/_sandbox/sap") { request, _ -> Response in
            let p = SAPODataRoutes.params(request)
            var values: [String: Int] = [:]
            for name in ["serverPageSize", "countOffset", "records"] {
                guard let text = p[name] else { continue }
                guard let n = Int(text), name == "countOffset" || n >= 0 else {
                    return SandboxHTTP.json(#"{"error":"\#(name) must be a whole number\#(name == "countOffset" ? "" : " of 0 or more")"}"#, status: .badRequest)
                }
                values[name] = n
            }
            let table = values["records"].map { n -> SandboxTable in
                var g = generator
                g.records = n
                return g.sapBusinessPartners
            }
            let (switches, records) = state.with { d -> (SAPODataSwitches, Int) in
                if let n = values["serverPageSize"] { d.sap.serverPageSize = n == 0 ? nil : n }
                if let k = values["countOffset"] { d.sap.countOffset = k }
                if let table { d.tables[table.name.lowercased()] = table }
                return (d.sap, d.tables["a_businesspartner"]?.rows.count ?? 0)
            }
            let page = switches.serverPageSize.map(String.init) ?? "null"
            return SandboxHTTP.json(#"{"serverPageSize":\#(page),"countOffset":\#(switches.countOffset),"records":\#(records)}"#)
        }
    }
}
