extension String {
    /// The string without leading and trailing spaces (only U+0020: tabs and newlines are data).
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
