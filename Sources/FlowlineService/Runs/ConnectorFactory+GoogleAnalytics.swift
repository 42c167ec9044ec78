import FlowlineAPI
import FlowlineConnectors

extension SaaSConnection {
    /// Google Analytics: OAuth tokens and the client id and secret; renewed tokens are sealed back.
    func googleAnalytics() throws(AppFlowError) -> GoogleAnalyticsAPI {
        do {
            return try GoogleAnalyticsAPI(credentials: credentials["GoogleAnalytics"], onTokenRenewed: onTokenRenewed)
        } catch {
            throw AppFlowService.appFlowError(error, profileName: profileName)
        }
    }

    func googleAnalyticsSource(_ props: AppFlow.SourceConnectorProperties) throws(AppFlowError) -> GoogleAnalyticsSource {
        guard let g = props.GoogleAnalytics else { throw .validation("sourceConnectorProperties.GoogleAnalytics is required") }
        return GoogleAnalyticsSource(api: try googleAnalytics(), viewId: g.object)
    }
}
