import Foundation

/// The reverse proxies whose `X-Forwarded-For` a service believes: `TRUSTED_PROXIES`, a comma-separated list of
/// addresses (`10.0.0.5`, `::1`) and IPv4 ranges (`172.18.0.0/16`). Empty by default: nobody is believed by address.
public struct TrustedProxies: Sendable, Equatable {
    private let addresses: Set<String>
    private let ranges: [(network: UInt32, mask: UInt32)]

    public init(_ list: String) {
        var addresses: Set<String> = []
        var ranges: [(UInt32, UInt32)] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/")
            if parts.count == 2, let network = Self.ipv4(String(parts[0])), let bits = UInt32(parts[1]), bits <= 32 {
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                ranges.append((network & mask, mask))
            } else {
                addresses.insert(entry)
            }
        }
        self.addresses = addresses
        self.ranges = ranges
    }

    public func contains(_ address: String?) -> Bool {
        guard let address else { return false }
        if self.addresses.contains(address) { return true }
        guard !self.ranges.isEmpty, let value = Self.ipv4(address) else { return false }
        return self.ranges.contains { value & $0.mask == $0.network }
    }

    public static func == (lhs: TrustedProxies, rhs: TrustedProxies) -> Bool {
        lhs.addresses == rhs.addresses && lhs.ranges.map(\.network) == rhs.ranges.map(\.network) && lhs.ranges.map(\.mask) == rhs.ranges.map(\.mask)
    }

    /// This machine: `localhost`, `::1` (bracketed or not), an address in 127.0.0.0/8, or one mapped into IPv6
    /// (`::ffff:127.0.0.1`). A name that merely begins with `127.` (`127.0.0.1.example`) is not.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let v4 = host.hasPrefix("::ffff:") ? String(host.dropFirst("::ffff:".count)) : host
        return Self.ipv4(v4).map { $0 >> 24 == 127 } ?? false
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard octets.count == 4, text.split(separator: ".", omittingEmptySubsequences: false).count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
