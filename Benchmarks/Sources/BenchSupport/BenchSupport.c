#define _GNU_SOURCE
#include "BenchSupport.h"
#include <json-c/json.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

size_t bench_jsonc_parse(const char *base, const int64_t *starts, const int64_t *lengths, size_t count, double *checksum) {
    struct json_tokener *tok = json_tokener_new_ex(16);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    size_t objects = 0;
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        json_tokener_reset(tok);
        struct json_object *o = json_tokener_parse_ex(tok, base + starts[i], (int)lengths[i]);
        if (o == NULL) continue;
        if (json_object_get_type(o) == json_type_object) {
            objects++;
            struct json_object *f;
            if (json_object_object_get_ex(o, "t", &f)) sum += json_object_get_double(f);
            if (json_object_object_get_ex(o, "channel", &f)) sum += (double)json_object_get_string_len(f);
            if (json_object_object_get_ex(o, "value", &f) && json_object_get_type(f) == json_type_object) {
                struct json_object_iterator it = json_object_iter_begin(f), end = json_object_iter_end(f);
                if (!json_object_iter_equal(&it, &end)) {
                    struct json_object *v = json_object_iter_peek_value(&it);
                    if (json_object_get_type(v) == json_type_double || json_object_get_type(v) == json_type_int) {
                        sum += json_object_get_double(v);
                    } else if (json_object_get_type(v) == json_type_string) {
                        sum += (double)json_object_get_string_len(v);
                    }
                }
            }
        }
        json_object_put(o);
    }
    json_tokener_free(tok);
    *checksum = sum;
    return objects;
}

// ---- malloc counting: this executable's definitions interpose glibc's for every library.

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

static _Atomic uint64_t mallocs = 0;
static _Atomic uint64_t frees = 0;

#define COUNT(c) atomic_fetch_add_explicit(&(c), 1, memory_order_relaxed)

void *malloc(size_t n) { COUNT(mallocs); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { COUNT(mallocs); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { COUNT(mallocs); return __libc_realloc(p, n); }
void free(void *p) { if (p) COUNT(frees); __libc_free(p); }
void *memalign(size_t a, size_t n) { COUNT(mallocs); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { COUNT(mallocs); return __libc_memalign(a, n); }
void *valloc(size_t n) { COUNT(mallocs); return __libc_valloc(n); }
void *pvalloc(size_t n) { COUNT(mallocs); return __libc_pvalloc(n); }
int posix_memalign(void **out, size_t a, size_t n) {
    COUNT(mallocs);
    void *p = __libc_memalign(a, n);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}

uint64_t bench_malloc_calls(void) { return atomic_load(&mallocs); }
uint64_t bench_free_calls(void) { return atomic_load(&frees); }

uint64_t bench_heap_in_use(void) {
    struct mallinfo2 m = mallinfo2();
    return (uint64_t)m.uordblks + (uint64_t)m.hblkhd;
}

static uint64_t status_kib(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    uint64_t v = 0;
    size_t k = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, k) == 0) { sscanf(line + k, " %lu", &v); break; }
    }
    fclose(f);
    return v;
}

uint64_t bench_peak_rss_kib(void) { return status_kib("VmHWM:"); }
uint64_t bench_rss_kib(void) { return status_kib("VmRSS:"); }

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t bench_thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
