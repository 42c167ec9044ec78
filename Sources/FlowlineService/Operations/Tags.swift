import FlowlineAPI
import FlowlineStore

extension AppFlowService {
    /// AppFlow's limit on tags per resource.
    static let maxTagsPerResource = 50

    func tagResource(_ request: AppFlow.TagResourceRequest) throws(AppFlowError) -> AppFlow.TagResourceResponse {
        let arn = request.resourceArn
        try checkResourceExists(arn)
        try write { tx in
            let merged = try tx.tags(forResource: arn).merging(request.tags) { _, new in new }
            if merged.count > Self.maxTagsPerResource {
                throw AppFlowError.validation("A resource can have at most \(Self.maxTagsPerResource) tags; \(arn) would have \(merged.count)")
            }
            try tx.setTags(request.tags, forResource: arn)
        }
        return AppFlow.TagResourceResponse()
    }

    func untagResource(_ request: AppFlow.UntagResourceRequest) throws(AppFlowError) -> AppFlow.UntagResourceResponse {
        try checkResourceExists(request.resourceArn)
        try write { tx in try tx.removeTags(keys: request.tagKeys, fromResource: request.resourceArn) }
        return AppFlow.UntagResourceResponse()
    }

    func listTagsForResource(_ request: AppFlow.ListTagsForResourceRequest) throws(AppFlowError) -> AppFlow.ListTagsForResourceResponse {
        try checkResourceExists(request.resourceArn)
        let tags = try read { tx in try tx.tags(forResource: request.resourceArn) }
        return AppFlow.ListTagsForResourceResponse(tags: tags)
    }

    private func checkResourceExists(_ arn: String) throws(AppFlowError) {
        let resource = try configuration.account.resource(fromArn: arn)
        let exists = try read { tx in
            switch resource {
            case .flow(let name): return try tx.flow(named: name)?.arn == arn
            case .connectorProfile(let name): return try tx.profile(named: name)?.arn == arn
            }
        }
        guard exists else { throw .notFound("Resource \(arn) does not exist") }
    }
}
