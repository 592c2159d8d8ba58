#ifndef ATTUNE_CJSONC_SHIM_H
#define ATTUNE_CJSONC_SHIM_H
#include <json-c/json.h>
#include <json-c/json_tokener.h>
#include <json-c/json_object.h>
#include <json-c/json_object_iterator.h>
#include <json-c/linkhash.h>

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

#endif
