/// Carries a value from one pipeline stage to the next so that, once taken, the receiving stage
/// holds the only reference to it: a batch whose records are rewritten in place must not still
/// be referenced by a sender that has not yet resumed from `send`.
final class Handoff<Element: Sendable>: @unchecked Sendable {
    // @unchecked: filled once by the sender before `send`, emptied once by the receiver after
    // receiving; the channel orders the two.
    private var element: Element?

    init(_ element: Element) {
        self.element = element
    }

    /// Reads the value in place, before it is sent.
    func peek<T>(_ read: (Element) -> T) -> T {
        read(element!)
    }

    /// The value, leaving the box empty. Called once, by the receiver.
    func take() -> Element {
        var taken: Element? = nil
        swap(&taken, &element)
        return taken!
    }
}
