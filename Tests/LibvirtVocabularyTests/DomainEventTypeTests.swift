import BrokerCore
import LibvirtVocabulary
import Testing

@Suite("Event words and libvirt's numbers")
struct DomainEventTypeTests {
    @Test func typesHaveLibvirtsNumbers() {
        // libvirt-domain.h: VIR_DOMAIN_EVENT_DEFINED 0 … VIR_DOMAIN_EVENT_CRASHED 8.
        #expect(DomainEventType.defined.libvirtNumber == 0)
        #expect(DomainEventType.started.libvirtNumber == 2)
        #expect(DomainEventType.stopped.libvirtNumber == 5)
        #expect(DomainEventType.saved.libvirtNumber == 5)
        #expect(DomainEventType.pmsuspended.libvirtNumber == 7)
        #expect(DomainEventType.crashed.libvirtNumber == 8)
        for type in DomainEventType.allCases where type != .saved {
            #expect(DomainEventType(libvirtNumber: type.libvirtNumber) == type)
        }
        #expect(DomainEventType(libvirtNumber: 9) == nil && DomainEventType(libvirtNumber: -1) == nil)
    }

    @Test func detailWordsAreInLibvirtsOrder() {
        // VIR_DOMAIN_EVENT_STOPPED_SAVED = 4, VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
        // VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4, VIR_DOMAIN_EVENT_SHUTDOWN_HOST = 2.
        #expect(DomainEventType.stopped.libvirtDetails.firstIndex(of: "saved") == 4)
        #expect(DomainEventType.suspended.libvirtDetails.firstIndex(of: "api error") == 6)
        #expect(DomainEventType.started.libvirtDetails.firstIndex(of: "wakeup") == 4)
        #expect(DomainEventType.shutdown.libvirtDetails.firstIndex(of: "host") == 2)
    }
}

@Suite("Reason words and libvirt's numbers")
struct DomainStateReasonTests {
    @Test func reasonWordsAreInLibvirtsOrder() {
        // libvirt-domain.h: VIR_DOMAIN_RUNNING_POSTCOPY_FAILED 11, VIR_DOMAIN_PAUSED_API_ERROR 13,
        // VIR_DOMAIN_PAUSED_IOERROR 5, VIR_DOMAIN_SHUTOFF_SAVED 5, VIR_DOMAIN_SHUTOFF_DAEMON 8.
        #expect(DomainState.running.libvirtReasons.firstIndex(of: "post-copy failed") == 11)
        #expect(DomainState.paused.libvirtReasons.firstIndex(of: "api error") == 13)
        #expect(DomainState.paused.libvirtReasons.firstIndex(of: "I/O error") == 5)
        #expect(DomainState.shutoff.libvirtReasons.firstIndex(of: "saved") == 5)
        #expect(DomainState.saved.libvirtReasons == DomainState.shutoff.libvirtReasons)
        #expect(DomainState.shutoff.libvirtReasons.firstIndex(of: "daemon") == 8)
    }
}
