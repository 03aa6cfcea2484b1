#ifndef VIRTFED_CLIBXML2_SHIM_H
#define VIRTFED_CLIBXML2_SHIM_H
/* Debian's libxml2 headers pull in the system ICU, which clashes with Foundation's ICU. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* xmlFree is a global function-pointer variable, which Swift 6 rejects. */
static inline void virtfed_xml_free(void *pointer) {
    xmlFree(pointer);
}
#endif
