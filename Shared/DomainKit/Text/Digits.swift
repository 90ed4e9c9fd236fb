/// Numbers written with a fixed number of digits, without `String(format:)` (which goes through Foundation's
/// formatting machinery on Linux and shows up in profiles of every request that writes a date or a code).
public enum Digits {
    /// "7" with width 2 is "07"; a wider number keeps all its digits.
    public static func padded(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Vietnamese notation: dots group thousands, the sign in front: "1.250.000", "-3.000".
    public static func grouped(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// 128 bits as 32 lower-case hexadecimal digits, `high` first: ids made of random bits (request ids, SMSIDs).
    /// Written straight into the string: request ids are made on every request.
    public static func hex(_ high: UInt64, _ low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<32 {
                let half = index < 16 ? high : low
                let nibble = UInt8((half >> UInt64(60 - 4 * (index % 16))) & 0xF)
                buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 32
        }
    }

    /// Lower-case hexadecimal, two digits a byte.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let alphabet = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(alphabet[Int(byte >> 4)])
            output.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
