/// Namespace of the AppFlow model's shapes (`AppFlow.CreateFlowRequest`, `AppFlow.Task`), generated into
/// Generated/ by tools/generate_api_model.py; nesting keeps names like `Task` clear of Swift's own.
public enum AppFlow {}
