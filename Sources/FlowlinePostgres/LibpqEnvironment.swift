import CLibPQ
import Foundation

/// libpq fills every connection parameter a caller leaves out from the process's `PG*`
/// environment variables (`PGPASSWORD`, `PGHOSTADDR`, `PGSERVICE`, `PGSSLMODE`, …) and from
/// files they name. A Flowline connection is described by its connector profile alone, so the
/// variables libpq would read are removed from the process's environment before its first
/// connection: a server user's own database settings never leak into a profile's connection.
enum LibpqEnvironment {
    /// Variables libpq reads that are not connection parameters (service file location, session settings).
    static let extraVariables = ["PGSYSCONFDIR", "PGSERVICEFILE", "PGDATESTYLE", "PGTZ", "PGGEQO", "PGLOCALEDIR", "PGREALM"]

    /// Run once, before the first `PQconnectdbParams`.
    static let cleared: Void = {
        var names = Set(extraVariables)
        if let defaults = PQconndefaults() {
            var option = defaults
            while let keyword = option.pointee.keyword, keyword.pointee != 0 {
                if let variable = option.pointee.envvar { names.insert(String(cString: variable)) }
                option += 1
            }
            PQconninfoFree(defaults)
        }
        for name in names.sorted() { unsetenv(name) }
    }()
}
