#ifndef VIRTFED_CGSSAPI_SHIM_H
#define VIRTFED_CGSSAPI_SHIM_H
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

/* The mechanisms by their OIDs (SPNEGO 1.3.6.1.5.5.2, Kerberos 1.2.840.113554.1.2.2,
   NTLM 1.3.6.1.4.1.311.2.2.10 — served by gss-ntlmssp), as static descriptors Swift can point at. */
static gss_OID_desc virtfed_gss_spnego = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc virtfed_gss_krb5 = {9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_desc virtfed_gss_ntlm = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

static inline gss_OID virtfed_gss_mech_spnego(void) { return &virtfed_gss_spnego; }
static inline gss_OID virtfed_gss_mech_krb5(void) { return &virtfed_gss_krb5; }
static inline gss_OID virtfed_gss_mech_ntlm(void) { return &virtfed_gss_ntlm; }
static inline gss_OID virtfed_gss_nt_user_name(void) { return GSS_C_NT_USER_NAME; }
static inline gss_OID virtfed_gss_nt_hostbased_service(void) { return GSS_C_NT_HOSTBASED_SERVICE; }
static inline int virtfed_gss_error(OM_uint32 major) { return GSS_ERROR(major) != 0; }
static inline int virtfed_gss_continue_needed(OM_uint32 major) { return (major & GSS_S_CONTINUE_NEEDED) != 0; }
#endif
