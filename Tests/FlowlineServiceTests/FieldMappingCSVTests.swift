import Testing
import FlowlineAPI
@testable import FlowlineService

@Suite struct FieldMappingCSVTests {
    @Test func pairsBecomeAProjectionAndMapTasks() throws {
        let tasks = try FieldMappingCSV.tasks(fromCSV: "Id,account_id\r\n\"Name, legal\",\"name \"\"legal\"\"\"\n", sourceConnectorType: "Salesforce")
        #expect(tasks.count == 3)
        #expect(tasks[0].taskType == .filter)
        #expect(tasks[0].sourceFields == ["Id", "Name, legal"])
        #expect(tasks[2].sourceFields == ["Name, legal"])
        #expect(tasks[2].destinationField == "name \"legal\"")
        let op = tasks[1].connectorOperator?.json(.epochSeconds)
        #expect(op == .object([("Salesforce", .string("NO_OP"))]))
    }

    @Test func aHeaderRowIsOptional() throws {
        let tasks = try FieldMappingCSV.tasks(fromCSV: "source,destination\na,b\n", sourceConnectorType: "S3")
        #expect(tasks.map(\.sourceFields) == [["a"], ["a"]])
    }

    @Test(arguments: ["a\n", "a,b,c\n", ",b\n", "\"a,b\n", "source,destination\n"])
    func badFilesAreRefused(text: String) {
        #expect(throws: AppFlowError.self) { try FieldMappingCSV.tasks(fromCSV: text, sourceConnectorType: "S3") }
    }
}
