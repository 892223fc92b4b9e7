// CCPUID: read the CPUID hypervisor vendor signature (leaf 0x40000000).
#ifndef FAIGEN_CCPUID_H
#define FAIGEN_CCPUID_H

/// Writes the 12-byte hypervisor vendor signature plus NUL into out[13]
/// and returns 1 when the CPU reports a hypervisor (CPUID.1:ECX bit 31);
/// returns 0 (out = "") on bare metal or on a non-x86 CPU.
int faigen_cpuid_hypervisor_vendor(char out[13]);

#if defined(__linux__)
/* klogctl(2), the kernel log reader that Swift's Glibc module leaves out. */
#include <sys/klog.h>
#endif

#endif
