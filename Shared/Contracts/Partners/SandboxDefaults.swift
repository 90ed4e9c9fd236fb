/// The sandbox's test-account credentials, which the services use by default when run locally against it.
/// A province's own deployment sets the real partners' URLs and keys instead.
public enum SandboxDefaults {
    public static let smsAPIKey = "sandbox-api-key"
    public static let smsSecretKey = "sandbox-secret-key"
    public static let smsBrandname = "UBND-KIENGIANG"
    /// The bank gateway's merchant (terminal) code and the secret both sides sign with.
    public static let bankTmnCode = "MOTCUAKG"
    public static let bankSecret = "sandbox-bank-secret-0123456789ABCDEF"
}
