/// `enum remote_procedure` (remote_protocol.x): the procedures this server knows by name.
/// The numbers are libvirt's and never change; every other number is answered "not supported".
public enum RemoteProcedure: Int32, Sendable, CaseIterable {
    case connectOpen = 1
    case connectClose = 2
    case connectGetType = 3
    case connectGetVersion = 4
    case connectGetMaxVcpus = 5
    case nodeGetInfo = 6
    case connectGetCapabilities = 7
    case domainCreate = 9
    case domainDestroy = 12
    case domainGetXMLDesc = 14
    case domainGetAutostart = 15
    case domainGetInfo = 16
    case domainGetMaxMemory = 17
    case domainGetMaxVcpus = 18
    case domainGetOSType = 19
    case connectListDefinedDomains = 21
    case domainLookupByID = 22
    case domainLookupByName = 23
    case domainLookupByUUID = 24
    case connectNumOfDefinedDomains = 25
    case domainReboot = 27
    case domainResume = 28
    case domainShutdown = 33
    case domainSuspend = 34
    case connectListDomains = 37
    case connectNumOfDomains = 51
    case connectGetHostname = 59
    case connectSupportsFeature = 60
    case authList = 66
    case connectDomainEventRegister = 105
    case connectDomainEventDeregister = 106
    case connectGetURI = 110
    case domainGetSecurityLabel = 121
    case nodeGetSecurityModel = 122
    case connectIsSecure = 149
    case domainIsActive = 150
    case domainIsPersistent = 151
    case connectGetLibVersion = 157
    case domainGetJobInfo = 163
    case connectDomainEventRegisterAny = 167
    case connectDomainEventDeregisterAny = 168
    case domainManagedSave = 182
    case domainHasManagedSaveImage = 183
    case domainCreateWithFlags = 196
    case domainGetVcpusFlags = 200
    case domainIsUpdated = 202
    case domainGetState = 212
    case domainDestroyFlags = 234
    case domainReset = 245
    case domainShutdownFlags = 258
    case domainGetMetadata = 265
    case connectListAllDomains = 273
    case domainListAllSnapshots = 274
    case connectListAllStoragePools = 281
    case connectListAllNetworks = 283
    case connectListAllInterfaces = 284
    case connectListAllNodeDevices = 285
    case connectNetworkEventRegisterAny = 313
    case connectNetworkEventDeregisterAny = 314
    case connectDomainEventCallbackRegisterAny = 316
    case connectDomainEventCallbackDeregisterAny = 317
    case domainEventCallbackLifecycle = 318
    case connectGetAllDomainStats = 344
    case connectRegisterCloseCallback = 360
    case connectUnregisterCloseCallback = 361
    case connectStoragePoolEventRegisterAny = 368
    case connectStoragePoolEventDeregisterAny = 369
    case connectNodeDeviceEventRegisterAny = 374
    case connectNodeDeviceEventDeregisterAny = 375
    case connectSecretEventRegisterAny = 380
    case connectSecretEventDeregisterAny = 381
}

/// `VIR_DRV_FEATURE_*` values a client asks about during open (libvirt_internal.h).
public enum DriverFeature: Int32, Sendable {
    case programKeepalive = 10
    case remoteEventCallback = 14
    case remoteCloseCallback = 15
}
