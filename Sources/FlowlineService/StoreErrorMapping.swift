import FlowlineAPI
import FlowlineStore

/// Store errors in AppFlow's error vocabulary, worded as AppFlow words them.
enum StoreErrorMapping {
    static func appFlowError(_ error: StoreError) -> AppFlowError {
        switch error {
        case .duplicate(.connectorProfile, let key):
            return .conflict("Connector profile with name \(key) already exists")
        case .duplicate(.flow, let key):
            return .conflict("Flow with name \(key) already exists")
        case .duplicate(let kind, let key):
            return .conflict("The \(kind.rawValue) \(key) already exists")
        case .notFound(.connectorProfile, let key):
            return .notFound("Connector profile \(key) does not exist")
        case .notFound(.flow, let key):
            return .notFound("Flow \(key) does not exist")
        case .notFound(.customerKey, let key):
            return .validation("The KMS key \(key) does not exist; create one with `flowline create-key`")
        case .notFound(let kind, let key):
            return .notFound("The \(kind.rawValue) \(key) does not exist")
        case .profileInUse(let profile, let flows):
            return .conflict("Connector profile \(profile) is in use by flow(s) \(flows.joined(separator: ", ")); delete them first or use --force-delete")
        case .invalidNextToken:
            return .validation("Invalid nextToken")
        case .schemaTooNew, .busy, .transactionClosed, .corruptRecord:
            return .internalServer("\(error)")
        }
    }
}
