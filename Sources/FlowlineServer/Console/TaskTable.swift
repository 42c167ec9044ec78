import FlowlineAPI

/// A flow's tasks as the wizard shows them: what each does, to which fields, with which settings.
enum TaskTable {
    static func html(_ tasks: [JSONValue]) -> String {
        HTML.table(["#", "Task", "Source fields", "Operator", "Destination", "Settings"], tasks.enumerated().map { i, task in
            var sources: [String] = []
            if case .array(let items)? = task["sourceFields"] { sources = items.compactMap { if case .string(let s) = $0 { s } else { nil } } }
            var op = ""
            if case .object(let members)? = task["connectorOperator"], let first = members.first, case .string(let s) = first.value { op = s }
            var settings: [String] = []
            if case .object(let members)? = task["taskProperties"] {
                settings = members.map { key, value in if case .string(let s) = value { "\(key)=\(s)" } else { key } }
            }
            let type: String = if case .string(let s)? = task["taskType"] { s } else { "" }
            let destination: String = if case .string(let s)? = task["destinationField"] { s } else { "" }
            return [String(i + 1), HTML.escape(type), HTML.escape(sources.joined(separator: ", ")), HTML.escape(op),
                    HTML.escape(destination), HTML.escape(settings.joined(separator: "; "))]
        }, id: "tasks")
    }
}
