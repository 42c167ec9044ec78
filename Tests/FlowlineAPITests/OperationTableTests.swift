import Foundation
import Testing
@testable import FlowlineAPI

@Suite struct OperationTableTests {
    /// botocore's own `xform_name`, which is how the AWS CLI names commands and options.
    func botocoreKebab(_ names: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys\nfrom botocore import xform_name\nfor n in sys.argv[1:]: print(xform_name(n, '-'))"] + names
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func everyOperationIsListed() {
        #expect(AppFlow.Operation.allCases.count == 25)
        let createFlow = AppFlow.Operation.createFlow.spec
        #expect(createFlow.name == "CreateFlow")
        #expect(createFlow.cliName == "create-flow")
        #expect(createFlow.httpMethod == "POST")
        #expect(createFlow.requestURI == "/create-flow")
        #expect(createFlow.inputShapeName == "CreateFlowRequest")
        #expect(createFlow.outputShapeName == "CreateFlowResponse")
        #expect(createFlow.errors.contains(.validation) && createFlow.errors.contains(.conflict))
        #expect(createFlow.inputMembers.map(\.jsonName).prefix(3) == ["flowName", "description", "kmsArn"])
        let destinations = try! #require(createFlow.inputMembers.first { $0.jsonName == "destinationFlowConfigList" })
        #expect(destinations.cliName == "destination-flow-config-list")
        #expect(destinations.kind == .json && destinations.required)
        #expect(OperationSpec.forCLIName("list-tags-for-resource") == .listTagsForResource)
    }

    @Test func httpLocationsComeFromTheModel() {
        let untag = AppFlow.Operation.untagResource.spec
        #expect(untag.httpMethod == "DELETE")
        #expect(untag.requestURI == "/tags/{resourceArn}")
        #expect(untag.inputMembers.map(\.location) == [.uri("resourceArn"), .querystring("tagKeys")])
        #expect(untag.inputMembers.map(\.kind) == [.string, .stringList])
        #expect(AppFlow.Operation.listTagsForResource.spec.httpMethod == "GET")
        #expect(AppFlow.Operation.listFlows.spec.inputMembers.map(\.kind) == [.integer, .string])
    }

    @Test func cliNamesMatchBotocore() throws {
        let members = AppFlow.Operation.allCases.flatMap { $0.spec.inputMembers }
        let names = AppFlow.Operation.allCases.map(\.rawValue) + members.map(\.jsonName)
        let ours = AppFlow.Operation.allCases.map(\.spec.cliName) + members.map(\.cliName)
        #expect(ours == (try botocoreKebab(names)))
        #expect(ours.contains("kms-arn"))
    }

    @Test func errorCodesCarryTheModelStatus() {
        #expect(AppFlowError.Code.allCases.count == 10)
        #expect(AppFlowError.validation("x").httpStatus == 400)
        #expect(AppFlowError.notFound("x").httpStatus == 404)
        #expect(AppFlowError.conflict("x").httpStatus == 409)
        #expect(AppFlowError.quotaExceeded("x").httpStatus == 402)
        #expect(AppFlowError.throttling("x").httpStatus == 429)
        #expect(AppFlowError.internalServer("x").description == "InternalServerException: x")
    }
}
