/// `VIR_DRV_FEATURE_*` values a client asks about during open (libvirt_internal.h).
public enum DriverFeature: Int32, Sendable {
    case programKeepalive = 10
    case remoteEventCallback = 14
    case remoteCloseCallback = 15
}
