import Foundation

/// A deterministic CSV of 300 orders whose `amount` column is text that holds numbers, chosen so
/// that "amount >= 1000" compared as text and as numbers disagree: 225 amounts are 1000 or more;
/// 59 more are below 1000 but start with 2–9 (so `'470.65' >= '1000'` as text); 16 start with 0
/// or 1 and are below 1000 either way. Text comparison keeps 284 rows, numeric comparison 225.
/// Other columns hold whole numbers, dates, times, booleans and zip codes with leading zeros.
struct OrdersSample {
    struct Order {
        var id: Int
        var amount: String
    }

    let orders: [Order]

    init() {
        var amounts: [String] = ["1000", "999.59", "470.65", "100.5"]
        for i in 1..<225 { amounts.append(String(format: "%.2f", 1000 + Double(i * 7919 % 90_000) / 100)) }
        for i in 1..<58 { amounts.append(String(format: "%.2f", 200 + Double(i * 1_237 % 79_999) / 100)) }
        for i in 1..<16 { amounts.append(["1.25", "10.5", "100", "0.75", "100.99"][i % 5].replacingOccurrences(of: "5", with: String(i % 10))) }
        // A fixed shuffle, so the kept rows are spread through the file.
        orders = (0..<amounts.count).map { i in (i * 37) % amounts.count }.enumerated().map { id, at in Order(id: id + 1, amount: amounts[at]) }
    }

    var text: String {
        var out = "id,customer,amount,quantity,order_date,updated_at,active,zip\n"
        for o in orders {
            let day = o.id % 28 + 1, month = o.id % 12 + 1
            out += "\(o.id),Customer \(o.id),\(o.amount),\(o.id % 7 + 1),2025-\(String(format: "%02d", month))-\(String(format: "%02d", day)),"
            out += "2025-03-04T05:\(String(format: "%02d", o.id % 60)):07Z,\(o.id % 3 == 0 ? "true" : "false"),\(String(format: "%05d", o.id * 37 % 10_000))\n"
        }
        return out
    }

    var idsAtLeast1000: Set<Int> { Set(orders.filter { Double($0.amount)! >= 1000 }.map(\.id)) }
    /// What a text comparison would keep (Swift compares strings by Unicode scalars, as Flowline does).
    var textComparisonCount: Int { orders.filter { $0.amount.unicodeScalars.lexicographicallyPrecedes("1000".unicodeScalars) == false }.count }
}
