import Foundation
import Testing
@testable import FlowlineAPI

@Suite struct ARNTests {
    let account = AppFlowAccount()

    @Test func buildsFlowAndProfileArns() {
        #expect(account.flowArn("my-flow") == "arn:aws:appflow:us-east-1:123456789012:flow/my-flow")
        #expect(AppFlowAccount(region: "eu-west-1", accountId: "111122223333").connectorProfileArn("p")
            == "arn:aws:appflow:eu-west-1:111122223333:connectorprofile/p")
    }

    @Test func credentialsArnIsASecretsManagerArnTheModelAccepts() throws {
        let arn = account.credentialsArn("MySalesforceProfile", createdAt: Date(timeIntervalSince1970: 1_626_798_632))
        let prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:appflow!123456789012-MySalesforceProfile-1626798632-"
        #expect(arn.hasPrefix(prefix))
        let suffix = arn.dropFirst(prefix.count)
        #expect(suffix.count == 6 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        // It fits the model's credentialsArn shape.
        let profile = AppFlow.ConnectorProfile(credentialsArn: arn)
        try profile.validate()
    }

    @Test func parsesArnsBackToResources() throws {
        #expect(try account.resource(fromArn: account.flowArn("f1")) == .flow("f1"))
        #expect(try account.resource(fromArn: account.connectorProfileArn("p/1")) == .connectorProfile("p/1"))
    }

    @Test func invalidArnsAreValidationErrors() {
        for bad in ["", "not-an-arn", "arn:aws:s3:::bucket", "arn:aws:appflow:us-east-1:123456789012:flow/",
                    "arn:aws:appflow:us-east-1:123456789012:pipeline/x", "arn:aws:appflow:us-west-2:123456789012:flow/x"] {
            #expect(throws: AppFlowError.self) { try account.resource(fromArn: bad) }
            do { _ = try account.resource(fromArn: bad) } catch { #expect(error.code == .validation) }
        }
    }
}
