import Foundation
import Testing
import FlowlineAPI
import FlowlineTestSupport
@testable import FlowlineCloudFormation

/// Every property CloudFormation's own resource schemas define for the two AppFlow types (as
/// cfn-lint ships them) maps onto a member of the API model's create request, with the API's type.
@Suite struct SchemaCoverageTests {
    /// A document with every writable property of each schema, one list element and one value each.
    static let sampleScript = """
        import json, os, importlib, cfnlint
        base = os.path.join(os.path.dirname(cfnlint.__file__), 'data/schemas')
        types = importlib.import_module('cfnlint.data.schemas.providers.us_east_1').types
        out = {}
        for t in ['AWS::AppFlow::Flow', 'AWS::AppFlow::ConnectorProfile']:
            schema = json.load(open(os.path.join(base, 'resources', types[t] + '.json')))
            def sample(node):
                while '$ref' in node:
                    node = schema['definitions'][node['$ref'].split('/')[-1]]
                if 'properties' in node:
                    return {k: sample(v) for k, v in node['properties'].items()}
                if node.get('patternProperties') or node.get('type') == 'object':
                    return {'customKey': 'v'}
                kind = node.get('type')
                if isinstance(kind, list): kind = kind[0]
                if kind == 'array': return [sample(node.get('items', {'type': 'string'}))]
                if kind == 'boolean': return True
                if kind in ('integer', 'number'): return 1
                return node.get('enum', ['x'])[0]
            read_only = schema.get('readOnlyProperties', [])
            out[t] = {k: sample(v) for k, v in schema['properties'].items() if '/properties/' + k not in read_only}
        print(json.dumps(out))
        """

    /// Lists every member of `sys.argv[2]` (JSON) that the API shape `sys.argv[1]` does not have,
    /// or whose type differs.
    static let checkScript = """
        import json, gzip, os, sys, botocore
        model = json.load(gzip.open(os.path.join(os.path.dirname(botocore.__file__), 'data/appflow/2020-08-23/service-2.json.gz')))['shapes']
        problems = []
        def walk(value, shape, path):
            s = model[shape]
            t = s['type']
            if t == 'structure':
                if not isinstance(value, dict): problems.append(path + ': not an object'); return
                for k, v in value.items():
                    if k not in s['members']: problems.append(path + '.' + k + ': no such member'); continue
                    walk(v, s['members'][k]['shape'], path + '.' + k)
            elif t == 'map':
                if not isinstance(value, dict): problems.append(path + ': not a map'); return
                for k, v in value.items(): walk(v, s['value']['shape'], path + '.' + k)
            elif t == 'list':
                if not isinstance(value, list): problems.append(path + ': not a list'); return
                for i, v in enumerate(value): walk(v, s['member']['shape'], path + '[' + str(i) + ']')
            elif t == 'boolean':
                if not isinstance(value, bool): problems.append(path + ': not a boolean')
            elif t in ('integer', 'long', 'double', 'float', 'timestamp'):
                if isinstance(value, bool) or not isinstance(value, (int, float)): problems.append(path + ': not a number')
            elif not isinstance(value, str):
                problems.append(path + ': not a string')
        walk(json.loads(sys.argv[2]), sys.argv[1], '')
        print(json.dumps(problems))
        """

    @Test func everySchemaPropertyMapsToAnAPIMember() throws {
        let samplesText = try Python.run(Self.sampleScript)
        let samples = try JSONValue.parse(samplesText)
        for (type, request, notInRequest) in [
            ("AWS::AppFlow::Flow", "CreateFlowRequest", ["FlowStatus"]),
            ("AWS::AppFlow::ConnectorProfile", "CreateConnectorProfileRequest", [String]()),
        ] {
            guard case .object(let properties)? = samples[type] else { Issue.record("no sample for \(type)"); continue }
            var mapped: JSONValue.Members = []
            for (name, value) in properties where !notInRequest.contains(name) {
                if name == "Tags" {
                    mapped.append(("tags", try PropertyMapping.keyValueMap(value, path: name)))
                    continue
                }
                let api = PropertyMapping.apiName(name, parent: "")
                mapped.append((api, try PropertyMapping.value(value, name: name, apiName: api, path: name)))
            }
            let document = String(decoding: JSONValue.object(mapped).serialized(), as: UTF8.self)
            let problems = try Python.run(Self.checkScript, [request, document]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(problems == "[]", "\(type): \(problems)")
            // The sample really covers the special cases.
            #expect(document.contains("\"Scheduled\"") || type != "AWS::AppFlow::Flow")
            #expect(document.contains("\"oAuthRequest\"") || type != "AWS::AppFlow::ConnectorProfile")
        }
        // Every name the mapping treats as special is a name of the schemas.
        for name in PropertyMapping.renamed.keys {
            #expect(samplesText.contains("\"\(name)\""), "\(name) is not in CloudFormation's schemas")
        }
    }
}
