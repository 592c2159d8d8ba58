#ifndef ATTUNE_CJSONC_SHIM_H
#define ATTUNE_CJSONC_SHIM_H
#include <json-c/json.h>
#include <json-c/json_tokener.h>
#include <json-c/json_object.h>
#include <json-c/json_object_iterator.h>
#include <json-c/linkhash.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Walking an object's members through its linkhash list (the order json_object_iter
 * and json_object_object_foreach use) with json-c's own inline accessors: one call
 * to reach the table instead of four out-of-line iterator calls per member. */

/* The first member of object `o` (which must be a JSON object), or NULL. */
static inline struct lh_entry *attune_object_first(struct json_object *o) {
    return lh_table_head(json_object_get_object(o));
}

/* Number of members of object `o` (json-c keeps one of each duplicate key). */
static inline int attune_object_count(struct json_object *o) {
    return lh_table_length(json_object_get_object(o));
}

static inline struct lh_entry *attune_entry_next(struct lh_entry *e) { return lh_entry_next(e); }
static inline const char *attune_entry_key(struct lh_entry *e) { return (const char *)lh_entry_k(e); }
static inline struct json_object *attune_entry_value(struct lh_entry *e) { return (struct json_object *)lh_entry_v(e); }

/* What one pass over an input line found; LineDecoder's scanLine reads it. */
struct attune_line_scan {
    /* No byte is NUL and none is above 0x7F. */
    int plain_ascii;
    /* Some byte is a backslash (then `colons` is not to be trusted: an escaped quote). */
    int has_backslash;
    /* Colons outside strings, taking every quote as opening or closing one. */
    long colons;
};

/* Scans `n` bytes at `p` sixteen at a time with SSE2 and returns 1, or returns 0 where
 * SSE2 is not there (LineDecoder then runs its own eight-bytes-at-a-time Swift scan,
 * which computes the same). The string mask is the running parity of the quotes: a
 * prefix XOR over the 16-bit quote mask, carried from block to block. */
static inline int attune_scan_line(const unsigned char *p, long n, struct attune_line_scan *out) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), colon = _mm_set1_epi8(':');
    const __m128i backslash = _mm_set1_epi8('\\'), zero = _mm_setzero_si128();
    unsigned bad = 0, backslashes = 0, in_string = 0;
    long colons = 0;
    for (long i = 0; i < n; i += 16) {
        __m128i v;
        if (i + 16 <= n) {
            v = _mm_loadu_si128((const __m128i *)(p + i));
        } else {
            /* The tail, padded with spaces (not NUL, not above 0x7F, not a quote or a colon). */
            unsigned char tail[16];
            memset(tail, ' ', sizeof tail);
            memcpy(tail, p + i, (size_t)(n - i));
            v = _mm_loadu_si128((const __m128i *)tail);
        }
        /* High bit of a byte, or of its "is zero" mask. */
        bad |= (unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)));
        backslashes |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash));
        unsigned strings = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        strings ^= strings << 1;
        strings ^= strings << 2;
        strings ^= strings << 4;
        strings ^= strings << 8;
        strings ^= in_string;
        colons += __builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, colon)) & ~strings & 0xFFFFu);
        in_string = 0u - ((strings >> 15) & 1u);
    }
    out->plain_ascii = bad == 0;
    out->has_backslash = backslashes != 0;
    out->colons = colons;
    return 1;
#else
    (void)p; (void)n; (void)out;
    return 0;
#endif
}

#endif
