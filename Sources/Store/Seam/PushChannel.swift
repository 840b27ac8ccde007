/// How a device's changes reached the central: the checks are the same, but only a bundle carried by
/// hand may bring a secret report (DOMAIN.md "Classification", docs/bundles.md).
public enum PushChannel: Sendable {
    /// Over HTTP: a change that would leave a report secret at the central is held back.
    case network
    /// In a bundle file, imported at the central: secret reports are taken like any other.
    case bundle
}
