/// The release `flowline --version` prints.
enum FlowlineVersion {
    static let current = "0.1.0"
}
