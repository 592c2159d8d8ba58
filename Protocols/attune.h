/*
 * attune.h — the C API of Attune (libattune_c.so).
 *
 * Build the library with `swift build --product attune_c` (it lands in
 * .build/debug/libattune_c.so, or .build/release with -c release). It links the
 * Swift runtime and json-c dynamically; nothing else.
 *
 * The same engine as `attune run`, in process: feed wire protocol v1 lines
 * (Protocols/wire-protocol.md), read recommendation lines (the same JSON
 * objects `attune run` prints), one engine per stream of sessions.
 *
 *     char *error = NULL;
 *     attune_engine_t *e = attune_engine_new("{\"bus\":{\"emit\":\"every\"}}", &error);
 *     if (!e) { fprintf(stderr, "%s\n", error); attune_free(error); return 1; }
 *     const char *cue = "{\"t\":1,\"channel\":\"text\",\"value\":{\"text\":\"leave me alone\"}}";
 *     if (attune_push_line(e, cue, strlen(cue)) != ATTUNE_OK)
 *         fprintf(stderr, "%s\n", attune_last_error(e));
 *     attune_engine_finish(e);
 *     char *out; size_t len;
 *     if (attune_read(e, &out, &len) > 0) fwrite(out, 1, len, stdout);
 *     attune_engine_free(e);
 *
 * Errors come back as status codes plus a message (attune_last_error); no
 * input, however malformed, makes the library crash or exit.
 *
 * Threads: an engine is not thread-safe. Use each engine from one thread at a
 * time (different engines on different threads are fine).
 *
 * Memory: every pointer the library returns says below who owns it. In short:
 * `*error` from attune_engine_new is yours (free it with attune_free); every
 * other returned pointer is owned by the engine and valid until the next call
 * on that engine (or attune_engine_free).
 */
#ifndef ATTUNE_H
#define ATTUNE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The wire protocol version the library speaks (input lines and output lines). */
#define ATTUNE_PROTOCOL_VERSION 1

/* Status codes. 0 is success; positive codes are about the input; negative ones about the call. */
enum {
    ATTUNE_OK = 0,
    /* The line was rejected (bad JSON, unknown channel, invalid value...). It is counted in
       attune_counts_t.rejected; attune_last_error says why. The engine carries on. */
    ATTUNE_REJECTED = 1,
    /* A NULL engine or output pointer. */
    ATTUNE_ERR_ARGUMENT = -1,
    /* attune_push_line after attune_engine_finish. */
    ATTUNE_ERR_FINISHED = -2,
    /* Out of memory. */
    ATTUNE_ERR_MEMORY = -3
};

/* An engine: the bus, the built-in channels, fusion and policy, with its own sessions. Opaque. */
typedef struct attune_engine attune_engine_t;

/* A run's bookkeeping; read == accepted + rejected always holds. */
typedef struct attune_counts {
    uint64_t read;      /* lines pushed */
    uint64_t accepted;
    uint64_t rejected;
    uint64_t blank;     /* of the rejected, how many were blank */
    uint64_t late;      /* accepted but too late to be put in order */
    uint64_t sessions;  /* sessions seen */
    uint64_t emitted;   /* recommendation lines produced */
    uint64_t warnings;  /* plugin warnings */
} attune_counts_t;

/* The protocol version (ATTUNE_PROTOCOL_VERSION of the library actually loaded). */
int attune_protocol_version(void);

/* A new engine. `config_json` is a partial configuration (the format of
   `attune config --print-defaults`, merged over the defaults; unknown keys are
   errors), or NULL for the defaults.
   Returns NULL on error; then, if `error` is not NULL, *error is set to a
   NUL-terminated message that the CALLER OWNS and frees with attune_free.
   On success *error (if given) is set to NULL. */
attune_engine_t *attune_engine_new(const char *config_json, char **error);

/* Pushes one input line of `len` bytes (need not be NUL-terminated; one
   trailing '\n' is allowed). Returns ATTUNE_OK, ATTUNE_REJECTED (see
   attune_last_error), or a negative ATTUNE_ERR_* code. Recommendations it
   causes are collected for attune_read. */
int attune_push_line(attune_engine_t *engine, const char *line, size_t len);

/* Takes every recommendation produced since the last attune_read: sets *out
   to a buffer of `*len` bytes holding one JSON object per line, each ending in
   '\n' (and NUL-terminated after the last one), and returns the number of
   lines (0 with *out = "" and *len = 0 when there are none), or a negative
   ATTUNE_ERR_* code. The buffer is OWNED BY THE ENGINE and valid until the
   next call on this engine or attune_engine_free; copy what you keep. */
int attune_read(attune_engine_t *engine, char **out, size_t *len);

/* Copies the engine's counts into *out. Returns ATTUNE_OK or ATTUNE_ERR_ARGUMENT. */
int attune_counts(const attune_engine_t *engine, attune_counts_t *out);

/* Why the last call on this engine failed or was rejected ("line 3: unknown
   channel \"smell\" ..."), or "" if it succeeded. Never NULL. The string is
   OWNED BY THE ENGINE, valid until the next call on it. With a NULL engine, a
   static string. */
const char *attune_last_error(const attune_engine_t *engine);

/* End of input: applies everything still buffered and closes every session
   (with emit "final", this is when recommendations appear). Read them with
   attune_read. Further pushes return ATTUNE_ERR_FINISHED. Returns ATTUNE_OK
   or ATTUNE_ERR_ARGUMENT; calling it twice is harmless. */
int attune_engine_finish(attune_engine_t *engine);

/* Frees the engine and every buffer it owns. NULL is fine. */
void attune_engine_free(attune_engine_t *engine);

/* Frees a buffer the library handed over to the caller (attune_engine_new's *error). NULL is fine. */
void attune_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif /* ATTUNE_H */
