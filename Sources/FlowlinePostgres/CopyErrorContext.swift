/// Where in the COPY data the server found a problem, read from its CONTEXT line, e.g.
/// `COPY orders, line 3, column amount: "abc"` or `COPY orders, line 7: "…"`.
struct CopyErrorContext: Equatable {
    init(line: Int, column: String?) {
        self.line = line
        self.column = column
    }

    /// 1-based line of the COPY data (one line per row sent).
    var line: Int
    var column: String?

    init?(_ context: String?) {
        guard let context, let start = context.range(of: ", line ") else { return nil }
        let rest = context[start.upperBound...]
        let digits = rest.prefix { $0.isNumber }
        guard let line = Int(digits) else { return nil }
        self.line = line
        let after = rest.dropFirst(digits.count)
        if after.hasPrefix(", column ") {
            let name = after.dropFirst(", column ".count)
            column = String(name.range(of: ": ").map { name[..<$0.lowerBound] } ?? name)
        } else {
            column = nil
        }
    }
}
