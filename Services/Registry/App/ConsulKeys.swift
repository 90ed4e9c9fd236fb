import Foundation

/// Consul reads request bodies with case-insensitive keys and accepts snake_case aliases ("name", "ttl",
/// "deregister_critical_service_after"); clients such as py-consul rely on it. This puts a registration body's
/// keys into the canonical spelling before it is decoded, leaving user data (Meta) untouched.
enum ConsulKeys {
    private static let registrationKeys = ["ID", "Name", "Tags", "Address", "Port", "Meta", "Check", "Checks", "EnableTagOverride",
                                           "Weights", "Kind", "TaggedAddresses"]
    private static let checkKeys = ["CheckID", "ID", "Name", "TTL", "HTTP", "Interval", "Timeout", "DeregisterCriticalServiceAfter",
                                    "Status", "Notes", "Method", "Header", "TLSSkipVerify", "ServiceID"]

    static func canonicalRegistration(_ data: Data) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "the body is not a JSON object"))
        }
        object = self.canonical(object, keys: self.registrationKeys)
        if let check = object["Check"] as? [String: Any] {
            object["Check"] = self.canonical(check, keys: self.checkKeys)
        }
        if let checks = object["Checks"] as? [[String: Any]] {
            object["Checks"] = checks.map { self.canonical($0, keys: self.checkKeys) }
        }
        // A check's own "ID" is its CheckID.
        for key in ["Check"] {
            if var check = object[key] as? [String: Any], check["CheckID"] == nil, let id = check.removeValue(forKey: "ID") {
                check["CheckID"] = id
                object[key] = check
            }
        }
        if let checks = object["Checks"] as? [[String: Any]] {
            object["Checks"] = checks.map { check in
                var check = check
                if check["CheckID"] == nil, let id = check.removeValue(forKey: "ID") { check["CheckID"] = id }
                return check
            }
        }
        return try JSONSerialization.data(withJSONObject: object)
    }

    private static func canonical(_ object: [String: Any], keys: [String]) -> [String: Any] {
        let lookup = Dictionary(keys.map { (self.fold($0), $0) }, uniquingKeysWith: { first, _ in first })
        var result: [String: Any] = [:]
        for (key, value) in object {
            result[lookup[self.fold(key)] ?? key] = value
        }
        return result
    }

    private static func fold(_ key: String) -> String {
        key.lowercased().replacingOccurrences(of: "_", with: "")
    }
}
