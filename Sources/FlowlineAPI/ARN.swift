import Foundation

/// The region and account a Flowline installation answers as; ARNs are built from it.
public struct AppFlowAccount: Sendable, Equatable {
    public var region: String
    public var accountId: String

    public init(region: String = "us-east-1", accountId: String = "123456789012") {
        self.region = region
        self.accountId = accountId
    }

    public func flowArn(_ flowName: String) -> String {
        "arn:aws:appflow:\(region):\(accountId):flow/\(flowName)"
    }

    public func connectorProfileArn(_ profileName: String) -> String {
        "arn:aws:appflow:\(region):\(accountId):connectorprofile/\(profileName)"
    }

    /// Where AppFlow keeps a profile's credentials: a Secrets Manager secret named
    /// `appflow!ACCOUNT-PROFILE-EPOCHSECONDS`, whose ARN ends with Secrets Manager's 6-character random suffix.
    public func credentialsArn(_ profileName: String, createdAt: Date = Date(),
                               suffix: String = AppFlowAccount.randomSecretSuffix()) -> String {
        let epoch = Int64(createdAt.timeIntervalSince1970.rounded(.down))
        return "arn:aws:secretsmanager:\(region):\(accountId):secret:appflow!\(accountId)-\(profileName)-\(epoch)-\(suffix)"
    }

    public static func randomSecretSuffix() -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<6).map { _ in letters.randomElement()! })
    }

    /// The resource an AppFlow ARN names, for the tag operations. Anything that is not a flow or connector
    /// profile ARN of this account and region is a ValidationException.
    public func resource(fromArn arn: String) throws(AppFlowError) -> AppFlowResource {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1] == "aws", parts[2] == "appflow" else {
            throw .validation("Invalid resource ARN '\(arn)': expected arn:aws:appflow:REGION:ACCOUNT:flow/NAME "
                + "or arn:aws:appflow:REGION:ACCOUNT:connectorprofile/NAME")
        }
        guard parts[3] == region, parts[4] == accountId else {
            throw .validation("Invalid resource ARN '\(arn)': not in region \(region) of account \(accountId)")
        }
        let resource = parts[5]
        guard let slash = resource.firstIndex(of: "/"), resource.index(after: slash) < resource.endIndex else {
            throw .validation("Invalid resource ARN '\(arn)': missing resource type or name")
        }
        let name = String(resource[resource.index(after: slash)...])
        switch resource[..<slash] {
        case "flow": return .flow(name)
        case "connectorprofile": return .connectorProfile(name)
        default: throw .validation("Invalid resource ARN '\(arn)': resource type must be flow or connectorprofile")
        }
    }
}

/// A taggable AppFlow resource, named by its ARN.
public enum AppFlowResource: Sendable, Equatable {
    case flow(String)
    case connectorProfile(String)
}
