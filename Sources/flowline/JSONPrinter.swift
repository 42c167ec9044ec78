import FlowlineAPI

/// Prints JSON the way the AWS CLI does: 4-space indents, `": "` separators, non-ASCII as is.
enum JSONPrinter {
    static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, to: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, to out: inout String) {
        let pad = String(repeating: " ", count: indent + 4)
        let closePad = String(repeating: " ", count: indent)
        switch value {
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 4, to: &out)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += closePad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, member) in members.enumerated() {
                out += pad + String(decoding: JSONValue.string(member.key).serialized(), as: UTF8.self) + ": "
                write(member.value, indent: indent + 4, to: &out)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += closePad + "}"
        default:
            out += String(decoding: value.serialized(), as: UTF8.self)
        }
    }
}
