import Foundation
import Hummingbird
import NIOCore

/// The sandbox's settings, from the command line.
struct SandboxConfiguration: Sendable {
    var port: Int
    var seed: UInt64
    var records: Int
    var pageSize: Int
    var accessToken: String
    var refreshToken: String
    var username: String
    var password: String
    var faults: SandboxState.Faults
    /// The OAuth client (connected app) the token endpoints require with a refresh token.
    var clientId = "sandbox-client-id"
    var clientSecret = "sandbox-client-secret"
    /// SAP OData server-driven paging from the start (`--sap-server-page-size`; nil: off).
    var sapServerPageSize: Int?
    /// Universal Analytics views listed (the second is in Asia/Tokyo; see `UAView.catalog`).
    var gaViews = 1
    /// GA4 properties listed (a Tokyo and a UTC one, then one per further account; see `GA4Property.catalog`).
    var ga4Properties = 2
    /// Settings applied at start, as `POST /_sandbox/marketo` and `/_sandbox/salesforce-bulk` take them (`key=value&…`).
    var marketo = ""
    var salesforceBulk = ""
}

/// A start-up setting the sandbox refuses.
struct SandboxSettingError: Error, CustomStringConvertible {
    var description: String
}

enum SandboxApp {
    static func build(_ config: SandboxConfiguration) throws -> some ApplicationProtocol {
        // Records were modified over the ten days before the hour the sandbox started.
        let anchor = Int64(Date().timeIntervalSince1970) / 3600 * 3600 * 1000
        let gen = SandboxGenerator(seed: config.seed, records: config.records, anchor: anchor)
        let state = SandboxState(
            tables: [gen.salesforceAccount, gen.salesforceContact, gen.salesforceOpportunity, gen.serviceNowIncident, gen.slackMessages, gen.zendeskTickets,
                     gen.marketoLeads, gen.marketoActivities, gen.sapBusinessPartners, gen.googleAnalyticsView],
            accessToken: config.accessToken, refreshToken: config.refreshToken,
            username: config.username, password: config.password, pageSize: config.pageSize, faults: config.faults,
            client: (config.clientId, config.clientSecret))
        state.with { $0.sap.serverPageSize = config.sapServerPageSize }
        let router = Router()
        SalesforceRoutes(state: state).add(to: router)
        AdminRoutes(state: state).add(to: router)
        ServiceNowRoutes(state: state).add(to: router)
        SlackRoutes(state: state).add(to: router)
        ZendeskRoutes(state: state).add(to: router)
        let marketo = MarketoRoutes(state: state, marketo: MarketoState(), generator: gen)
        marketo.add(to: router)
        if case .failure(let e) = MarketoAdminRoutes(routes: marketo).configure(SandboxHTTP.form(ByteBuffer(string: config.marketo))) {
            throw SandboxSettingError(description: "--marketo: \(e.message)")
        }
        if case .failure(let e) = state.salesforceBulk.configure(SandboxHTTP.form(ByteBuffer(string: config.salesforceBulk))) {
            throw SandboxSettingError(description: "--salesforce-bulk: \(e.message)")
        }
        SAPODataRoutes(state: state).add(to: router)
        SAPODataAdminRoutes(state: state, generator: gen).add(to: router)
        let google = GoogleAnalyticsState(generator: gen, uaViewCount: config.gaViews, ga4PropertyCount: config.ga4Properties)
        GoogleOAuthRoutes(state: state, google: google).add(to: router)
        GoogleAnalyticsRoutes(state: state, google: google).add(to: router)
        GoogleAnalytics4Routes(state: state, google: google).add(to: router)
        GoogleAnalyticsAdminRoutes(google: google).add(to: router)
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: config.port)),
            onServerRunning: { channel in
                // The first line of stdout is the port, so a caller that asked for port 0 learns it.
                let line = "flowline-sandbox listening on http://127.0.0.1:\(channel.localAddress?.port ?? config.port)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            })
    }
}
