/// The migrations compiled into the binary from `migrations/sqlite/` (through the `Migrations`
/// symlink and SwiftPM's `embedInCode`), so `flowline` works wherever it is copied.
///
/// SwiftPM names each embedded file after its name with the first digit replaced by `_`.
/// Adding a migration file means adding its line here; `EmbeddedMigrationsTests` fails until then.
public enum EmbeddedMigrations {
    public static let all: [Migration] = [
        Migration(fileName: "0001_init.sql", bytes: PackageResources._001_init_sql),
        Migration(fileName: "0002_cloudformation_stacks.sql", bytes: PackageResources._002_cloudformation_stacks_sql),
        Migration(fileName: "0003_flow_schedules.sql", bytes: PackageResources._003_flow_schedules_sql),
        Migration(fileName: "0004_flow_status_message.sql", bytes: PackageResources._004_flow_status_message_sql),
    ]
}
