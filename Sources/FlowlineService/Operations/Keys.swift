import Foundation
import FlowlineAPI
import FlowlineStore

/// Local stand-ins for customer KMS keys that a profile's or flow's `kmsArn` may name.
extension AppFlowService {
    public func createKey(description: String?) throws(AppFlowError) -> CustomerKeyRecord {
        let id = UUID().uuidString.lowercased()
        let arn = "arn:aws:kms:\(configuration.account.region):\(configuration.account.accountId):key/\(id)"
        return try write { tx in try tx.createCustomerKey(keyId: id, arn: arn, description: description, createdAt: now) }
    }

    public func listKeys() throws(AppFlowError) -> [CustomerKeyRecord] {
        try read { tx in try tx.listCustomerKeys() }
    }
}
