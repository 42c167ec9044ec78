import Foundation
import Testing
@testable import FlowlineAPI

@Suite struct ConstraintValidationTests {
    func validationMessage(_ shape: some StructureShape) throws -> String {
        do {
            try shape.validate()
        } catch {
            #expect(error.code == .validation)
            return error.message
        }
        Issue.record("validation passed")
        return ""
    }

    func flow() throws -> AppFlow.CreateFlowRequest {
        try AppFlowJSON.decode(AppFlow.CreateFlowRequest.self, from: Data(DocumentationExamples.salesforceToS3Flow.utf8))
    }

    @Test func badFlowNameFailsThePattern() throws {
        var request = try flow()
        request.flowName = "-x"
        #expect(try validationMessage(request) == #"1 validation error detected: Value '-x' at 'flowName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][\w!@#.-]+"#)
    }

    @Test func decodeWithValidateReportsConstraintFailures() throws {
        let json = DocumentationExamples.salesforceToS3Flow.replacingOccurrences(
            of: "salesforce-accounts-to-s3", with: "-bad")
        #expect(throws: AppFlowError.validation(#"1 validation error detected: Value '-bad' at 'flowName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9][\w!@#.-]+"#)) {
            try AppFlowJSON.decode(AppFlow.CreateFlowRequest.self, from: Data(json.utf8), validate: true)
        }
    }

    @Test func tooLongNameAndDescriptionAreBothReported() throws {
        var request = try flow()
        request.flowName = String(repeating: "a", count: 257)
        request.description = String(repeating: "d", count: 2049)
        let message = try validationMessage(request)
        #expect(message.hasPrefix("2 validation errors detected: Value '\(request.flowName)' at 'flowName' failed to satisfy constraint: Member must have length less than or equal to 256; "))
        #expect(message.hasSuffix("at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048"))
    }

    @Test func emptyTagKeyIsTooShort() throws {
        var request = try flow()
        request.tags = ["": "v"]
        #expect(try validationMessage(request) == "1 validation error detected: Value '' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]")
    }

    @Test func fiftyOneTagsAreTooMany() throws {
        var request = try flow()
        request.tags = Dictionary(uniqueKeysWithValues: (0..<51).map { ("k\(String(format: "%02d", $0))", "v") })
        let message = try validationMessage(request)
        #expect(message.hasPrefix("1 validation error detected: Value '{k00=v, k01=v, "))
        #expect(message.hasSuffix("k50=v}' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"))
        request.tags?.removeValue(forKey: "k50")
        try request.validate()
    }

    @Test func awsPrefixedTagKeyIsRejectedByTheModelPattern() throws {
        var request = try flow()
        request.tags = ["aws:owner": "me"]
        #expect(try validationMessage(request) == "1 validation error detected: Value 'aws:owner' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]")
        request.tags = ["awsowner": "me", "owner:aws": "me"]
        try request.validate()
        let untag = AppFlow.UntagResourceRequest(resourceArn: AppFlowAccount().flowArn("f"), tagKeys: ["aws:x"])
        #expect(try validationMessage(untag) == "1 validation error detected: Value 'aws:x' at 'tagKeys.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$")
    }

    @Test func numbersAreCheckedAgainstTheirRange() throws {
        #expect(try validationMessage(AppFlow.ListFlowsRequest(maxResults: 101)) == "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100")
        try AppFlow.ListFlowsRequest(maxResults: 100).validate()
    }

    @Test func sensitiveValuesNeverAppearInMessages() throws {
        let secret = "sEcReT VaLuE WiTh SpAcEs"
        var request = try AppFlowJSON.decode(AppFlow.CreateConnectorProfileRequest.self,
                                             from: Data(DocumentationExamples.salesforceProfile.utf8))
        request.connectorProfileConfig.connectorProfileCredentials?.Salesforce?.accessToken = secret
        request.connectorProfileConfig.connectorProfileCredentials?.Salesforce?.refreshToken = secret
        let message = try validationMessage(request)
        #expect(!message.contains(secret))
        #expect(message == #"2 validation errors detected: Value at 'connectorProfileConfig.connectorProfileCredentials.Salesforce.accessToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \S+; Value at 'connectorProfileConfig.connectorProfileCredentials.Salesforce.refreshToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \S+"#)

        // Secret map keys and values (custom connector credentials) are hidden too, even from the path.
        var custom = AppFlow.CustomConnectorProfileCredentials(authenticationType: .custom)
        custom.custom = AppFlow.CustomAuthCredentials(customAuthenticationType: "t", credentialsMap: ["bad key!": secret])
        let customMessage = try validationMessage(custom)
        #expect(!customMessage.contains(secret) && !customMessage.contains("bad key!"))
        #expect(customMessage.contains("Value at 'custom.credentialsMap' failed to satisfy constraint: Map keys must satisfy constraint"))
    }

    @Test func everyModelPatternCompiles() {
        for rule in ShapeRules.allStringRules {
            _ = rule.failures("x")
        }
        #expect(ShapeRules.allStringRules.count > 90)
        // The Java surrogate-pair range of the model's widest pattern accepts characters outside the BMP.
        let wide = StringRule(pattern: #"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*"#)
        #expect(wide.failures("emoji 😀 ok").isEmpty)
        #expect(!wide.failures("bell \u{07}").isEmpty)
    }
}
