import Hummingbird

/// The console's icon, served at `/favicon.ico` (where browsers look for it, with or without a
/// `<link rel="icon">`), so no page logs a failed request. A 16×16 32-bit icon drawn here: a
/// blue rounded square with a white F.
enum Favicon {
    static let path = "/favicon.ico"

    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "image/x-icon"
        headers[.cacheControl] = "max-age=86400"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static let bytes: [UInt8] = {
        let size = 16
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        let pixelBytes = size * size * 4, maskBytes = size * 4
        var out: [UInt8] = le16(0) + le16(1) + le16(1)                       // ICONDIR: an icon, one image
        out += [UInt8(size), UInt8(size), 0, 0] + le16(1) + le16(32)          // ICONDIRENTRY
        out += le32(40 + pixelBytes + maskBytes) + le32(22)
        out += le32(40) + le32(size) + le32(size * 2) + le16(1) + le16(32)    // BITMAPINFOHEADER (height counts the mask)
        out += le32(0) + le32(pixelBytes + maskBytes) + le32(0) + le32(0) + le32(0) + le32(0)
        for y in (0..<size).reversed() {                                      // rows bottom-up, BGRA
            for x in 0..<size {
                let edge = min(x, size - 1 - x) + min(y, size - 1 - y)
                let letter = (x >= 5 && x <= 6 && y >= 3 && y <= 12) || (y >= 3 && y <= 4 && x >= 5 && x <= 11) || (y >= 7 && y <= 8 && x >= 5 && x <= 10)
                if edge < 2 { out += [0, 0, 0, 0] } else if letter { out += [255, 255, 255, 255] } else { out += [0xD3, 0x72, 0x09, 255] }
            }
        }
        return out + [UInt8](repeating: 0, count: maskBytes)                   // AND mask unused: alpha decides
    }()
}
