#ifndef VIRTFED_CCURL_SHIM_H
#define VIRTFED_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt / curl_easy_getinfo are C variadics, which Swift cannot call: typed wrappers. */
static inline CURLcode virtfed_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode virtfed_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode virtfed_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*virtfed_curl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode virtfed_curl_setopt_write_function(CURL *handle, virtfed_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode virtfed_curl_setopt_header_function(CURL *handle, virtfed_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
static inline CURLcode virtfed_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
/* CURLINFO_CERTINFO: the chain of the connection's peer (CURLOPT_CERTINFO on), index 0 the leaf. */
static inline CURLcode virtfed_curl_getinfo_certinfo(CURL *handle, struct curl_certinfo **value) {
    return curl_easy_getinfo(handle, CURLINFO_CERTINFO, value);
}
/* CURLAUTH_* are cast expressions that Swift does not import. */
static const long virtfed_curlauth_basic = (long)CURLAUTH_BASIC;
static const long virtfed_curlauth_ntlm = (long)CURLAUTH_NTLM;
static const long virtfed_curlauth_negotiate = (long)CURLAUTH_NEGOTIATE;
static const long virtfed_curlauth_none = (long)CURLAUTH_NONE;
#endif
