/// Orders resources so each comes after those it depends on, keeping template order otherwise.
enum DependencyOrder {
    /// - Parameter dependencies: logical id → the logical ids it needs first.
    static func sorted(_ ids: [String], dependencies: [String: Set<String>]) throws(StackError) -> [String] {
        var order: [String] = []
        var state: [String: Bool] = [:]   // false: being visited, true: done
        func visit(_ id: String, _ trail: [String]) throws(StackError) {
            if state[id] == true { return }
            if state[id] == false {
                let cycle = trail.drop(while: { $0 != id }) + [id]
                throw StackError(.validation, "Circular dependency between resources: [\(cycle.joined(separator: ", "))]")
            }
            state[id] = false
            for dependency in ids where dependencies[id]?.contains(dependency) == true {
                try visit(dependency, trail + [id])
            }
            state[id] = true
            order.append(id)
        }
        for id in ids { try visit(id, []) }
        return order
    }
}
