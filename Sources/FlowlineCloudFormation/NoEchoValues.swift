import FlowlineAPI

/// The values of a deploy's `NoEcho` parameters, and how they are kept out of sight: text the
/// deploy prints or throws shows `****` in their place, and the resolved properties a stack keeps
/// hold them only sealed (`StoredProperties`).
struct NoEchoValues: Sendable {
    static let mask = "****"

    /// Shorter values are not looked for in other text: masking every `p` would garble every
    /// message, and a value that short is no secret (the parameter itself still shows `****`).
    static let minimumLength = 4

    /// Longest first, so a value inside another is not masked half.
    let values: [String]

    init(_ values: [String]) {
        self.values = Set(values.filter { $0.count >= Self.minimumLength })
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    func masked(_ text: String) -> String {
        values.reduce(text) { $0.replacingOccurrences(of: $1, with: Self.mask) }
    }

    func masked(_ error: StackError) -> StackError {
        var error = error
        error.message = masked(error.message)
        error.cause = error.cause.map { cause in
            var cause = cause
            cause.message = masked(cause.message)
            return cause
        }
        return error
    }

    func appears(in text: String) -> Bool {
        values.contains { text.contains($0) }
    }
}
