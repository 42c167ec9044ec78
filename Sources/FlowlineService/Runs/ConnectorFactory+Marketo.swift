import FlowlineAPI
import FlowlineConnectors

extension SaaSConnection {
    /// Marketo: `instanceUrl`, and the client id and secret the identity service takes; its tokens are sealed back.
    func marketo() throws(AppFlowError) -> MarketoAPI {
        do {
            return try MarketoAPI(properties: properties["Marketo"], credentials: credentials["Marketo"], onTokenRenewed: onTokenRenewed)
        } catch {
            throw AppFlowService.appFlowError(error, profileName: profileName)
        }
    }

    func marketoSource(_ props: AppFlow.SourceConnectorProperties) throws(AppFlowError) -> MarketoSource {
        guard let m = props.Marketo else { throw .validation("sourceConnectorProperties.Marketo is required") }
        return MarketoSource(api: try marketo(), object: m.object)
    }
}
