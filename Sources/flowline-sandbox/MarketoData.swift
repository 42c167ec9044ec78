import Foundation

/// Marketo's leads and activities, generated like the other sandbox tables.
extension SandboxGenerator {
    static let marketoActivityTypes: [(id: Int64, name: String, primary: String)] = [
        (1, "Visit Webpage", "Webpage ID"), (2, "Fill Out Form", "Webform ID"), (12, "New Lead", "Lead ID"),
    ]

    var marketoLeads: SandboxTable {
        let fields = [
            SandboxField(name: "id", nativeType: "integer", kind: .int),
            SandboxField(name: "email", nativeType: "email", kind: .string),
            SandboxField(name: "firstName", nativeType: "string", kind: .string),
            SandboxField(name: "lastName", nativeType: "string", kind: .string),
            SandboxField(name: "company", nativeType: "string", kind: .string),
            SandboxField(name: "leadScore", nativeType: "integer", kind: .int),
            SandboxField(name: "unsubscribed", nativeType: "boolean", kind: .bool),
            SandboxField(name: "createdAt", nativeType: "datetime", kind: .time),
            SandboxField(name: "updatedAt", nativeType: "datetime", kind: .time),
        ]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 11)
            return [.int(Int64(1001 + i)), .string("lead\(i)@example.org"), .string("Ana \(i)"), .string("O'Brien, \(r % 97)"),
                    .string("Company \(r % 300)"), .int(Int64(r % 100)), .bool(i % 9 == 0),
                    .time(created(i) / 1000 * 1000), .time(modified(i) / 1000 * 1000)]
        }
        return SandboxTable(name: "leads", label: "Leads", fields: fields, rows: rows, modifiedField: 8, deletedField: nil)
    }

    var marketoActivities: SandboxTable {
        let fields = [
            SandboxField(name: "id", nativeType: "integer", kind: .int),
            SandboxField(name: "marketoGUID", nativeType: "string", kind: .string),
            SandboxField(name: "leadId", nativeType: "integer", kind: .int),
            SandboxField(name: "activityDate", nativeType: "datetime", kind: .time),
            SandboxField(name: "activityTypeId", nativeType: "integer", kind: .int),
            SandboxField(name: "primaryAttributeValueId", nativeType: "integer", kind: .int),
            SandboxField(name: "primaryAttributeValue", nativeType: "string", kind: .string),
        ]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 12)
            let type = Self.marketoActivityTypes[Int(r % 3)]
            return [.int(Int64(50_001 + i)), .string(String(format: "%08x-0000-4000-8000-%012x", i, r % 0xFFFF_FFFF)),
                    .int(Int64(1001 + Int(r % UInt64(max(records, 1))))), .time(modified(i) / 1000 * 1000), .int(type.id),
                    .int(Int64(r % 500)), .string("\(type.name) #\(r % 500)")]
        }
        return SandboxTable(name: "activities", label: "Activities", fields: fields, rows: rows, modifiedField: 3, deletedField: nil)
    }
}
