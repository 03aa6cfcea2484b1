#ifndef VIRTFED_CLIBVIRT_SHIM_H
#define VIRTFED_CLIBVIRT_SHIM_H
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdlib.h>
#include <string.h>
#endif
