import ArgumentParser

/// Options every AppFlow operation command takes, as `aws appflow` does.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("cli-input-json"),
            help: "The whole request as JSON (inline or file://PATH); options given on the command line override its members.")
    var cliInputJSON: String?
}
