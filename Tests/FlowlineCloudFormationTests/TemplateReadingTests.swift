import Testing
import FlowlineAPI
@testable import FlowlineCloudFormation

@Suite struct TemplateReadingTests {
    @Test func yamlShortTagsBecomeLongForms() throws {
        let yaml = """
            Resources:
              Flow:
                Type: AWS::AppFlow::Flow
                Properties:
                  FlowName: !Ref Name
                  Description: !Sub '${AWS::StackName}-flow'
                  KMSArn: !GetAtt Key.Arn
                  Other: !Join ['-', [a, !Ref Name]]
                  Quoted: '42'
                  Number: 42
                  Flag: true
            """
        let document = try TemplateDocument.parse(yaml)
        let properties = try #require(document["Resources"]?["Flow"]?["Properties"])
        #expect(properties["FlowName"] == .object([("Ref", .string("Name"))]))
        #expect(properties["Description"] == .object([("Fn::Sub", .string("${AWS::StackName}-flow"))]))
        #expect(properties["KMSArn"] == .object([("Fn::GetAtt", .string("Key.Arn"))]))
        #expect(properties["Other"] == .object([("Fn::Join", .array([.string("-"), .array([.string("a"), .object([("Ref", .string("Name"))])])]))]))
        #expect(properties["Quoted"] == .string("42"))
        #expect(properties["Number"] == .number(42))
        #expect(properties["Flag"] == .bool(true))
    }

    @Test func jsonAndYamlOfOneTemplateReadTheSame() throws {
        let json = #"{"Resources": {"P": {"Type": "AWS::AppFlow::ConnectorProfile", "Properties": {"ConnectorProfileName": {"Fn::Sub": ["${A}-x", {"A": {"Ref": "N"}}]}}}}}"#
        let yaml = """
            Resources:
              P:
                Type: AWS::AppFlow::ConnectorProfile
                Properties:
                  ConnectorProfileName: !Sub ['${A}-x', {A: !Ref N}]
            """
        #expect(try TemplateDocument.parse(json) == TemplateDocument.parse(yaml))
    }

    @Test func subSplitsVariablesAndLiterals() {
        #expect(IntrinsicResolver.subPieces("a-${X}-${Res.Attr}-${!Literal}") == [
            .literal("a-"), .variable("X"), .literal("-"), .variable("Res.Attr"), .literal("-"), .literal("${Literal}"),
        ])
    }

    private func resolver(_ parameters: [String: JSONValue] = [:]) -> IntrinsicResolver {
        IntrinsicResolver(parameters: parameters, mappings: .object([("Env", .object([("prod", .object([("Prefix", .string("p"))]))]))]),
                          resourceTypes: ["Profile": "AWS::AppFlow::ConnectorProfile"]) { id, attribute throws(ResolutionError) in
            attribute == nil ? .string("\(id)-name") : .string("arn:\(id):\(attribute!)")
        }
    }

    @Test func intrinsicFunctionsResolve() throws {
        let r = resolver(["Stage": .string("prod"), "AWS::Region": .string("eu-west-1"), "List": .array([.string("a"), .string("b")])])
        #expect(try r.resolve(.object([("Ref", .string("Profile"))]), at: "") == .string("Profile-name"))
        #expect(try r.resolve(.object([("Fn::GetAtt", .array([.string("Profile"), .string("CredentialsArn")]))]), at: "") == .string("arn:Profile:CredentialsArn"))
        #expect(try r.resolve(.object([("Fn::Sub", .string("${Stage}/${AWS::Region}/${Profile}/${Profile.ConnectorProfileArn}"))]), at: "")
                == .string("prod/eu-west-1/Profile-name/arn:Profile:ConnectorProfileArn"))
        #expect(try r.resolve(.object([("Fn::Sub", .array([.string("${X}!"), .object([("X", .object([("Ref", .string("Stage"))]))])]))]), at: "")
                == .string("prod!"))
        #expect(try r.resolve(.object([("Fn::Join", .array([.string(","), .object([("Ref", .string("List"))])]))]), at: "") == .string("a,b"))
        #expect(try r.resolve(.object([("Fn::Select", .array([.number(1), .object([("Ref", .string("List"))])]))]), at: "") == .string("b"))
        #expect(try r.resolve(.object([("Fn::FindInMap", .array([.string("Env"), .object([("Ref", .string("Stage"))]), .string("Prefix")]))]), at: "") == .string("p"))
        // AWS::NoValue removes the member.
        #expect(try r.resolve(.object([("A", .string("x")), ("B", .object([("Ref", .string("AWS::NoValue"))]))]), at: "") == .object([("A", .string("x"))]))
    }

    @Test func unknownReferencesAndFunctionsNameThePath() {
        let r = resolver()
        #expect { try r.resolve(.object([("X", .object([("Ref", .string("Missing"))]))]), at: "SourceFlowConfig") } throws: { error in
            let e = error as? ResolutionError
            return e?.path == "SourceFlowConfig.X" && e?.message.contains("Unresolved resource dependencies [Missing]") == true
        }
        #expect { try r.resolve(.object([("Fn::If", .array([]))]), at: "Description") } throws: { error in
            (error as? ResolutionError)?.message.contains("Fn::If is not supported") == true
        }
    }

    @Test func parametersCheckTheirConstraints() throws {
        let template = try Template(TemplateDocument.parse("""
            Parameters:
              Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
              Size: {Type: Number, Default: 5, MinValue: 1, MaxValue: 10}
              Name: {Type: String, AllowedPattern: '[a-z]+', ConstraintDescription: lowercase letters}
              Secret: {Type: String, NoEcho: true}
              Ids: {Type: CommaDelimitedList, Default: 'a, b'}
            Resources:
              B: {Type: AWS::S3::Bucket}
            """))
        let values = try ParameterValues(template: template, overrides: ["Name": "abc", "Secret": "s3cr3t"])
        #expect(values.values["Env"] == .string("dev"))
        #expect(values.values["Size"] == .string("5"))
        #expect(values.values["Ids"] == .array([.string("a"), .string("b")]))
        #expect(values.recorded.first { $0.key == "Secret" }?.value == .string("****"))
        func refused(_ overrides: [String: String], _ fragment: String) {
            #expect { try ParameterValues(template: template, overrides: overrides) } throws: { error in
                (error as? StackError)?.message.contains(fragment) == true
            }
        }
        refused(["Name": "abc", "Secret": "x", "Env": "qa"], "'Env' 'qa' is not one of the AllowedValues")
        refused(["Name": "abc", "Secret": "x", "Size": "11"], "'Size' must be at most 10")
        refused(["Name": "ABC", "Secret": "x"], "lowercase letters")
        refused(["Secret": "x"], "Parameters: [Name] must have values")
        refused(["Name": "a", "Secret": "x", "Nope": "1"], "Parameters: [Nope] do not exist in the template")
    }

    @Test func dependencyOrderPutsDependenciesFirstAndFindsCycles() throws {
        #expect(try DependencyOrder.sorted(["Flow", "Profile", "Other"], dependencies: ["Flow": ["Profile"]]) == ["Profile", "Flow", "Other"])
        #expect { try DependencyOrder.sorted(["A", "B"], dependencies: ["A": ["B"], "B": ["A"]]) } throws: { error in
            (error as? StackError)?.message.contains("Circular dependency between resources") == true
        }
    }
}
