#ifndef ATTUNE_BENCH_SUPPORT_H
#define ATTUNE_BENCH_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

/// Parses `count` lines with one reused json-c tokener (json_tokener_parse_ex on
/// pointer + length) and reads "t", "channel" and one number from "value", as a
/// minimal consumer would. Returns the number of lines that parsed to an object;
/// `*checksum` gets a sum of what was read, so nothing is optimised away.
size_t bench_jsonc_parse(const char *base, const int64_t *starts, const int64_t *lengths, size_t count, double *checksum);

/// Calls to malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign,
/// valloc and pvalloc since the process started, over all threads.
uint64_t bench_malloc_calls(void);
/// Calls to free with a non-NULL pointer.
uint64_t bench_free_calls(void);
/// Bytes in use in the malloc heap (mallinfo2 uordblks + hblkhd).
uint64_t bench_heap_in_use(void);
/// Peak resident set size of this process in KiB (VmHWM).
uint64_t bench_peak_rss_kib(void);
/// Current resident set size in KiB (VmRSS).
uint64_t bench_rss_kib(void);
/// CLOCK_MONOTONIC in nanoseconds.
uint64_t bench_now_ns(void);
/// This thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID).
uint64_t bench_thread_cpu_ns(void);

#endif
