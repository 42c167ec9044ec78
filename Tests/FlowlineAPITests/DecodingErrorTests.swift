import Foundation
import Testing
@testable import FlowlineAPI

@Suite struct DecodingErrorTests {
    func decodeFailure<T: StructureShape>(_ type: T.Type, _ json: String) -> AppFlowError? {
        do {
            _ = try AppFlowJSON.decode(type, from: Data(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownNestedMemberNamesItsPath() throws {
        let json = DocumentationExamples.salesforceToS3Flow.replacingOccurrences(
            of: #""object": "Account","#, with: #""object": "Account", "foo": 1,"#)
        let error = try #require(decodeFailure(AppFlow.CreateFlowRequest.self, json))
        #expect(error.code == .validation)
        #expect(error.message == "Unknown member 'foo' at 'sourceFlowConfig.sourceConnectorProperties.Salesforce'")
        #expect(error.httpStatus == 400)
    }

    @Test func unknownTopLevelMember() throws {
        let error = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, #"{"flowName":"a","flowname":"b"}"#))
        #expect(error.message == "Unknown member 'flowname'")
    }

    @Test func unknownMemberInsideListElement() throws {
        let json = DocumentationExamples.salesforceToS3Flow.replacingOccurrences(
            of: #""taskType": "Map_all","#, with: #""taskType": "Map_all", "bogus": true,"#)
        let error = try #require(decodeFailure(AppFlow.CreateFlowRequest.self, json))
        #expect(error.message == "Unknown member 'bogus' at 'tasks.1.member'")
    }

    @Test func missingRequiredMember() throws {
        let top = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, "{}"))
        #expect(top.code == .validation)
        #expect(top.message == "Missing required member 'flowName'")
        let json = DocumentationExamples.salesforceToS3Flow.replacingOccurrences(
            of: #""bucketName": "my-appflow-bucket","#, with: "")
        let nested = try #require(decodeFailure(AppFlow.CreateFlowRequest.self, json))
        #expect(nested.message
            == "Missing required member 'bucketName' at 'destinationFlowConfigList.1.member.destinationConnectorProperties.S3'")
        let explicitNull = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, #"{"flowName":null}"#))
        #expect(explicitNull.message == "Missing required member 'flowName'")
    }

    @Test func unknownEnumValueListsAllowedValues() throws {
        let error = try #require(decodeFailure(AppFlow.CreateFlowRequest.self,
            DocumentationExamples.salesforceToS3Flow.replacingOccurrences(of: "OnDemand", with: "Hourly")))
        #expect(error.code == .validation)
        #expect(error.message
            == "Invalid value 'Hourly' for member 'triggerType' at 'triggerConfig': must be one of [Scheduled, Event, OnDemand]")
    }

    @Test func wrongJSONTypeNamesMemberAndExpectedType() throws {
        let number = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, #"{"flowName": 7}"#))
        #expect(number.message == "Invalid type for member 'flowName': expected string, found number")
        let fraction = try #require(decodeFailure(AppFlow.ListFlowsRequest.self, #"{"maxResults": 1.5}"#))
        #expect(fraction.message == "Invalid type for member 'maxResults': expected integer, found number")
        let list = try #require(decodeFailure(AppFlow.CancelFlowExecutionsRequest.self,
                                              #"{"flowName":"f","executionIds":"abc"}"#))
        #expect(list.message == "Invalid type for member 'executionIds': expected list, found string")
        let element = try #require(decodeFailure(AppFlow.CancelFlowExecutionsRequest.self,
                                                 #"{"flowName":"f","executionIds":["a", false]}"#))
        #expect(element.message == "Invalid type for member 'member' at 'executionIds.2': expected string, found boolean")
        let top = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, "[1]"))
        #expect(top.message.contains("expected object, found list"))
    }

    @Test func malformedJSONSaysWhere() throws {
        let error = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, "{\n  \"flowName\": \"a\",,\n}"))
        #expect(error.code == .validation)
        #expect(error.message == "Malformed JSON: expected a member name at line 2, column 19")
        let truncated = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, #"{"flowName": "a"#))
        #expect(truncated.message == "Malformed JSON: unterminated string at line 1, column 16")
        let trailing = try #require(decodeFailure(AppFlow.DescribeFlowRequest.self, #"{"flowName": "a"} x"#))
        #expect(trailing.message.hasPrefix("Malformed JSON: unexpected data after the JSON value"))
    }

    @Test func jsonValueKeepsMemberOrderAndEscapes() throws {
        let value = try JSONValue.parse(#"{"zeta":1,"alpha":[true,null,"a\u00e9\ud83d\ude00\n"],"mid":-2.5e1}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["zeta", "alpha", "mid"])
        #expect(value["alpha"] == .array([.bool(true), .null, .string("aé😀\n")]))
        #expect(value["mid"] == .number(-25))
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"zeta":1,"alpha":[true,null,"aé😀\n"],"mid":-25}"#)
    }
}
