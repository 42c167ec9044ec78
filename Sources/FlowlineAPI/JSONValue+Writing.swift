import Foundation

extension JSONValue {
    /// JSON text. Pretty output is laid out as the AWS CLI prints it (4-space indent, `": "`),
    /// non-ASCII characters are written as they are, and integral numbers print without a fraction.
    public func serialized(pretty: Bool = false) -> Data {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return Data(out.utf8)
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += Self.numberText(value)
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", to: &out, pretty: pretty, indent: indent)
        case .object(let members):
            writeContainer(members.map { ($0.key, $0.value) }, open: "{", close: "}", to: &out, pretty: pretty, indent: indent)
        }
    }

    private func writeContainer(_ entries: [(String?, JSONValue)], open: String, close: String,
                                to out: inout String, pretty: Bool, indent: Int) {
        out += open
        if entries.isEmpty { out += close; return }
        let inner = String(repeating: " ", count: (indent + 1) * 4)
        for (i, (key, value)) in entries.enumerated() {
            if i > 0 { out += "," }
            if pretty { out += "\n" + inner }
            if let key {
                Self.writeString(key, to: &out)
                out += pretty ? ": " : ":"
            }
            value.write(to: &out, pretty: pretty, indent: indent + 1)
        }
        if pretty { out += "\n" + String(repeating: " ", count: indent * 4) }
        out += close
    }

    static func numberText(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return value.description
    }

    private static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
