import FlowlineAPI
import FlowlineConnectors

extension SaaSConnection {
    /// SAP OData: host, port, service path and client from the profile; basic auth or OAuth (renewed tokens sealed into `oAuthCredentials`).
    func sapOData() throws(AppFlowError) -> SAPODataAPI {
        do {
            return try SAPODataAPI(properties: properties["SAPOData"], credentials: credentials["SAPOData"], policy: policy,
                                   onTokenRenewed: tokenRenewed(at: ["oAuthCredentials", "accessToken"]))
        } catch {
            throw AppFlowService.appFlowError(error, profileName: profileName)
        }
    }

    func sapODataSource(_ props: AppFlow.SourceConnectorProperties) throws(AppFlowError) -> SAPODataSource {
        guard let s = props.SAPOData, let path = s.objectPath, !path.isEmpty else {
            throw .validation("sourceConnectorProperties.SAPOData.objectPath is required")
        }
        return SAPODataSource(api: try sapOData(), objectPath: path, pageSize: s.paginationConfig?.maxPageSize,
                              maxParallelism: s.parallelismConfig?.maxParallelism)
    }
}
