import CYaml
import Foundation

/// Bounds on what a template may make `flowline deploy` do before it is understood: templates
/// come from anywhere, and one of a few bytes must not expand into gigabytes or recurse without
/// end. Checked on the parser's events, before any node tree is built.
enum TemplateLimits {
    /// CloudFormation's own limit for a template kept in S3.
    static let maxBytes = 1 << 20
    /// Nodes (scalars, lists, maps) in one template.
    static let maxNodes = 200_000
    /// Lists and maps inside one another.
    static let maxDepth = 100

    static func checkSize(_ byteCount: Int) throws(StackError) {
        guard byteCount <= maxBytes else {
            throw .template("the template is \(byteCount) bytes; at most \(maxBytes) bytes are accepted")
        }
    }

    /// Walks the YAML's events (libyaml, as Yams uses it) and refuses anchors and aliases (which
    /// CloudFormation does not support either, and which let a small file expand exponentially),
    /// more than `maxNodes` nodes, or nesting deeper than `maxDepth`.
    static func checkYAML(_ text: String) throws(StackError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw .template("the YAML parser could not start") }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        var failure: StackError?
        bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var nodes = 0, depth = 0
            while failure == nil {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    // Yams reports syntax errors with their position when it parses for real.
                    return
                }
                defer { yaml_event_delete(&event) }
                let line = event.start_mark.line + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_ALIAS_EVENT:
                    failure = .template("YAML aliases (*name) are not supported in templates (line \(line)); write the value out")
                case YAML_SCALAR_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor: UnsafeMutablePointer<yaml_char_t>? = switch event.type {
                    case YAML_SCALAR_EVENT: event.data.scalar.anchor
                    case YAML_SEQUENCE_START_EVENT: event.data.sequence_start.anchor
                    default: event.data.mapping_start.anchor
                    }
                    if anchor != nil {
                        failure = .template("YAML anchors (&name) and aliases are not supported in templates (line \(line)); write the value out")
                    }
                    nodes += 1
                    if nodes > maxNodes { failure = .template("the template has more than \(maxNodes) values") }
                    if event.type != YAML_SCALAR_EVENT {
                        depth += 1
                        if depth > maxDepth { failure = .template("the template nests lists and maps deeper than \(maxDepth) levels (line \(line))") }
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                default:
                    break
                }
            }
        }
        if let failure { throw failure }
    }
}
