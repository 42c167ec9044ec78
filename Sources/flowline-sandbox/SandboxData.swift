import Foundation

/// A value in the sandbox's tables.
enum SandboxValue: Sendable {
    case null
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    /// Milliseconds since the epoch.
    case time(Int64)
    /// Days since the epoch.
    case date(Int64)
}

enum SandboxKind: Sendable { case string, int, double, bool, time, date }

struct SandboxField: Sendable {
    var name: String
    /// The emulated service's type name (`datetime`, `picklist`, `glide_date_time`).
    var nativeType: String
    var kind: SandboxKind
}

/// One object (sObject, table) of deterministic generated records.
struct SandboxTable: Sendable {
    var name: String
    var label: String
    var fields: [SandboxField]
    var rows: [[SandboxValue]]
    /// The field bumped by "touch" (LastModifiedDate, sys_updated_on, updated_at).
    var modifiedField: Int
    /// The field marking soft-deleted rows (Salesforce IsDeleted), if any.
    var deletedField: Int?

    func index(of field: String) -> Int? {
        fields.firstIndex { $0.name.caseInsensitiveCompare(field) == .orderedSame }
    }
}

/// Builds the tables from a seed: the same seed and count always give the same records, with
/// modification times spread over the days before `anchor`.
struct SandboxGenerator {
    var seed: UInt64
    var records: Int
    /// Milliseconds; records were last modified in the ten days before it.
    var anchor: Int64

    private static let industries = ["Agriculture", "Banking", "Chemicals", "Education", "Energy", "Retail", "Technology"]
    private static let cities = ["Zürich", "São Paulo", "New York, NY", "Kraków", "Tōkyō", "Lagos"]

    func random(_ i: Int, _ salt: UInt64) -> UInt64 {
        // SplitMix64 over (seed, row, salt): stateless, so any row can be generated on its own.
        var z = seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ salt &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func modified(_ i: Int) -> Int64 { anchor - Int64(random(i, 1) % 864_000_000) - 60_000 }
    func created(_ i: Int) -> Int64 { modified(i) - Int64(random(i, 2) % 2_592_000_000) }

    func account(_ i: Int) -> [SandboxValue] {
        let r = random(i, 3)
        return [
            .string(String(format: "001%012d", i)),
            .string("Account \(i) \(Self.cities[Int(r % 6)])"),
            .string(Self.industries[Int(r % 7)]),
            .double(Double(r % 10_000_000) / 100),
            .int(Int64(r % 5000)),
            .string(i % 3 == 0 ? "Says \"hi\", then\nleaves" : "plain"),
            .bool(i % 50 == 49),
            .time(created(i)),
            .time(modified(i)),
            .time(modified(i)),
        ]
    }

    var salesforceAccount: SandboxTable {
        let fields = [
            SandboxField(name: "Id", nativeType: "id", kind: .string),
            SandboxField(name: "Name", nativeType: "string", kind: .string),
            SandboxField(name: "Industry", nativeType: "picklist", kind: .string),
            SandboxField(name: "AnnualRevenue", nativeType: "currency", kind: .double),
            SandboxField(name: "NumberOfEmployees", nativeType: "int", kind: .int),
            SandboxField(name: "Description", nativeType: "textarea", kind: .string),
            SandboxField(name: "IsDeleted", nativeType: "boolean", kind: .bool),
            SandboxField(name: "CreatedDate", nativeType: "datetime", kind: .time),
            SandboxField(name: "LastModifiedDate", nativeType: "datetime", kind: .time),
            SandboxField(name: "SystemModstamp", nativeType: "datetime", kind: .time),
        ]
        return SandboxTable(name: "Account", label: "Account", fields: fields, rows: (0..<records).map(account),
                            modifiedField: 8, deletedField: 6)
    }

    var salesforceContact: SandboxTable {
        let fields = [
            SandboxField(name: "Id", nativeType: "id", kind: .string),
            SandboxField(name: "AccountId", nativeType: "reference", kind: .string),
            SandboxField(name: "FirstName", nativeType: "string", kind: .string),
            SandboxField(name: "LastName", nativeType: "string", kind: .string),
            SandboxField(name: "Email", nativeType: "email", kind: .string),
            SandboxField(name: "Birthdate", nativeType: "date", kind: .date),
            SandboxField(name: "IsDeleted", nativeType: "boolean", kind: .bool),
            SandboxField(name: "LastModifiedDate", nativeType: "datetime", kind: .time),
        ]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 4)
            return [.string(String(format: "003%012d", i)), .string(String(format: "001%012d", Int(r % UInt64(max(records, 1))))),
                    .string("First\(i)"), .string("Last\(r % 997)"), .string("person\(i)@example.com"),
                    .date(Int64(r % 20_000)), .bool(false), .time(modified(i))]
        }
        return SandboxTable(name: "Contact", label: "Contact", fields: fields, rows: rows, modifiedField: 7, deletedField: 6)
    }

    static let stages: [(name: String, probability: Double, closed: Bool)] = [
        ("Prospecting", 10, false), ("Qualification", 20, false), ("Needs Analysis", 20, false),
        ("Value Proposition", 50, false), ("Negotiation/Review", 90, false), ("Closed Won", 100, true), ("Closed Lost", 0, true)]

    var salesforceOpportunity: SandboxTable {
        let fields = [
            SandboxField(name: "Id", nativeType: "id", kind: .string),
            SandboxField(name: "Name", nativeType: "string", kind: .string),
            SandboxField(name: "AccountId", nativeType: "reference", kind: .string),
            SandboxField(name: "StageName", nativeType: "picklist", kind: .string),
            SandboxField(name: "Amount", nativeType: "currency", kind: .double),
            SandboxField(name: "Probability", nativeType: "percent", kind: .double),
            SandboxField(name: "CloseDate", nativeType: "date", kind: .date),
            SandboxField(name: "IsClosed", nativeType: "boolean", kind: .bool),
            SandboxField(name: "CreatedDate", nativeType: "datetime", kind: .time),
            SandboxField(name: "LastModifiedDate", nativeType: "datetime", kind: .time),
        ]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 8)
            let stage = Self.stages[Int(r % 7)]
            // Every 40th opportunity has no amount yet, as happens early in a deal.
            let amount: SandboxValue = i % 40 == 39 ? .null : .double(Double(r % 50_000_000) / 100)
            return [.string(String(format: "006%012d", i)), .string("Deal \(i): 'Widgets', \"rush\""),
                    .string(String(format: "001%012d", Int(r % UInt64(max(records, 1))))), .string(stage.name),
                    amount, .double(stage.probability), .date(anchor / 86_400_000 - 90 + Int64(r % 180)),
                    .bool(stage.closed), .time(created(i)), .time(modified(i))]
        }
        return SandboxTable(name: "Opportunity", label: "Opportunity", fields: fields, rows: rows, modifiedField: 9, deletedField: nil)
    }

    var serviceNowIncident: SandboxTable {
        let fields = [
            SandboxField(name: "sys_id", nativeType: "GUID", kind: .string),
            SandboxField(name: "number", nativeType: "string", kind: .string),
            SandboxField(name: "short_description", nativeType: "string", kind: .string),
            SandboxField(name: "priority", nativeType: "integer", kind: .int),
            SandboxField(name: "active", nativeType: "boolean", kind: .bool),
            SandboxField(name: "sys_created_on", nativeType: "glide_date_time", kind: .time),
            SandboxField(name: "sys_updated_on", nativeType: "glide_date_time", kind: .time),
        ]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 5)
            return [.string(String(format: "%032x", i)), .string(String(format: "INC%07d", i)),
                    .string("Printer \(r % 40) jammed, again"), .int(Int64(r % 5 + 1)), .bool(i % 4 != 0),
                    .time(created(i) / 1000 * 1000), .time(modified(i) / 1000 * 1000)]
        }
        return SandboxTable(name: "incident", label: "Incident", fields: fields, rows: rows, modifiedField: 6, deletedField: nil)
    }

    var slackMessages: SandboxTable {
        let fields = [
            SandboxField(name: "ts", nativeType: "string", kind: .string),
            SandboxField(name: "type", nativeType: "string", kind: .string),
            SandboxField(name: "user", nativeType: "string", kind: .string),
            SandboxField(name: "text", nativeType: "string", kind: .string),
        ]
        // Newest first, as conversations.history returns them.
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let t = anchor - Int64(i) * 1000 - 1000
            return [.string(String(format: "%d.%06d", t / 1000, i % 1_000_000)), .string("message"),
                    .string("U\(random(i, 6) % 50)"), .string("Message \(i): ship it, \"now\"")]
        }
        return SandboxTable(name: "C0GENERAL", label: "general", fields: fields, rows: rows, modifiedField: 0, deletedField: nil)
    }

    var zendeskTickets: SandboxTable {
        let fields = [
            SandboxField(name: "id", nativeType: "integer", kind: .int),
            SandboxField(name: "subject", nativeType: "string", kind: .string),
            SandboxField(name: "status", nativeType: "string", kind: .string),
            SandboxField(name: "priority", nativeType: "string", kind: .string),
            SandboxField(name: "created_at", nativeType: "datetime", kind: .time),
            SandboxField(name: "updated_at", nativeType: "datetime", kind: .time),
        ]
        let statuses = ["new", "open", "pending", "solved", "closed"]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 7)
            return [.int(Int64(i + 1)), .string("Ticket \(i + 1): cannot log in"), .string(statuses[Int(r % 5)]),
                    .string(["low", "normal", "high"][Int(r % 3)]), .time(created(i) / 1000 * 1000), .time(modified(i) / 1000 * 1000)]
        }
        return SandboxTable(name: "tickets", label: "Tickets", fields: fields, rows: rows, modifiedField: 5, deletedField: nil)
    }
}
