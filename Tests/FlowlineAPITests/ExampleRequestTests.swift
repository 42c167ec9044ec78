import Foundation
import Testing
@testable import FlowlineAPI

@Suite struct ExampleRequestTests {
    /// An independent reader (Foundation's JSONSerialization) must see the same document we were given.
    func sameDocument(_ a: Data, _ b: Data) throws -> Bool {
        let left = try JSONSerialization.jsonObject(with: a) as! NSDictionary
        let right = try JSONSerialization.jsonObject(with: b) as! NSDictionary
        return left == right
    }

    @Test func salesforceProfileDecodesAndRoundTrips() throws {
        let data = Data(DocumentationExamples.salesforceProfile.utf8)
        let request = try AppFlowJSON.decode(AppFlow.CreateConnectorProfileRequest.self, from: data, validate: true)
        #expect(request.connectorType == .salesforce)
        #expect(request.connectionMode == .public)
        let properties = try #require(request.connectorProfileConfig.connectorProfileProperties.Salesforce)
        #expect(properties.instanceUrl == "https://example.my.salesforce.com")
        #expect(properties.isSandboxEnvironment == false)
        #expect(request.connectorProfileConfig.connectorProfileCredentials?.Salesforce?.refreshToken == "5AepEXAMPLErefreshTokenValue")
        let encoded = AppFlowJSON.encode(request, pretty: true)
        #expect(try sameDocument(encoded, data))
        #expect(try AppFlowJSON.decode(AppFlow.CreateConnectorProfileRequest.self, from: encoded) == request)
    }

    @Test func salesforceToS3FlowDecodesAndPrintsInModelOrder() throws {
        let data = Data(DocumentationExamples.salesforceToS3Flow.utf8)
        let request = try AppFlowJSON.decode(AppFlow.CreateFlowRequest.self, from: data, validate: true)
        #expect(request.flowName == "salesforce-accounts-to-s3")
        #expect(request.triggerConfig.triggerType == .onDemand)
        #expect(request.sourceFlowConfig.sourceConnectorProperties.Salesforce?.object == "Account")
        let s3 = try #require(request.destinationFlowConfigList.first?.destinationConnectorProperties.S3)
        #expect(s3.bucketName == "my-appflow-bucket")
        #expect(s3.s3OutputFormatConfig?.fileType == .json)
        #expect(s3.s3OutputFormatConfig?.aggregationConfig?.aggregationType == AppFlow.AggregationType.none)
        let task = try #require(request.tasks.first)
        #expect(task.taskType == .mapAll)
        #expect(task.connectorOperator?.Salesforce == .noOp)
        #expect(task.taskProperties == ["EXCLUDE_SOURCE_FIELDS_LIST": "[]"])
        #expect(request.tags == ["team": "analytics"])
        // The example is written in model order with the CLI's layout, so our pretty output is the same text.
        let encoded = String(decoding: AppFlowJSON.encode(request, pretty: true), as: UTF8.self)
        #expect(encoded == DocumentationExamples.salesforceToS3Flow)
        #expect(try sameDocument(Data(encoded.utf8), data))
    }

    @Test func serviceNowProfileDecodesAndRoundTrips() throws {
        let data = Data(DocumentationExamples.serviceNowProfile.utf8)
        let request = try AppFlowJSON.decode(AppFlow.CreateConnectorProfileRequest.self, from: data, validate: true)
        #expect(request.connectorType == .servicenow)
        #expect(request.connectorProfileConfig.connectorProfileProperties.ServiceNow?.instanceUrl == "https://dev12345.service-now.com")
        #expect(request.connectorProfileConfig.connectorProfileCredentials?.ServiceNow?.username == "admin")
        #expect(String(decoding: AppFlowJSON.encode(request, pretty: true), as: UTF8.self) == DocumentationExamples.serviceNowProfile)
    }

    @Test func sapODataProfileDecodesAndRoundTrips() throws {
        let data = Data(DocumentationExamples.sapODataProfile.utf8)
        let request = try AppFlowJSON.decode(AppFlow.CreateConnectorProfileRequest.self, from: data, validate: true)
        #expect(request.connectorType == .sapoData)
        let sap = try #require(request.connectorProfileConfig.connectorProfileProperties.SAPOData)
        #expect(sap.portNumber == 443)
        #expect(sap.clientNumber == "010")
        #expect(request.connectorProfileConfig.connectorProfileCredentials?.SAPOData?.basicAuthCredentials?.password == "S3cret-SAP-Pass")
        #expect(String(decoding: AppFlowJSON.encode(request, pretty: true), as: UTF8.self) == DocumentationExamples.sapODataProfile)
    }

    @Test func compactEncodingLeavesOutNilMembers() {
        let request = AppFlow.DescribeFlowRequest(flowName: "f1")
        #expect(String(decoding: AppFlowJSON.encode(request), as: UTF8.self) == #"{"flowName":"f1"}"#)
        let start = AppFlow.StartFlowRequest(flowName: "f1", clientToken: "t-1")
        #expect(String(decoding: AppFlowJSON.encode(start), as: UTF8.self) == #"{"flowName":"f1","clientToken":"t-1"}"#)
    }

    @Test func codableConformanceUsesTheStrictModel() throws {
        let data = Data(#"{"flowName":"f1","extra":1}"#.utf8)
        #expect(throws: AppFlowError.self) { try JSONDecoder().decode(AppFlow.DescribeFlowRequest.self, from: data) }
        let ok = try JSONDecoder().decode(AppFlow.DescribeFlowRequest.self, from: Data(#"{"flowName":"f1"}"#.utf8))
        #expect(ok.flowName == "f1")
        let text = try JSONEncoder().encode(AppFlow.DescribeFlowRequest(flowName: "x"))
        #expect(try JSONSerialization.jsonObject(with: text) as? [String: String] == ["flowName": "x"])
    }
}
