// A C face for RE2 (Debian's libre2-dev), the linear-time regex engine Prometheus and
// Alertmanager use (Go's regexp has RE2 syntax and semantics). Swift calls these; RE2 objects are
// immutable after compilation and safe to share between threads.
#ifndef RBX_RE2_H
#define RBX_RE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rbx_re2 rbx_re2;

/// Compiles `pattern` (UTF-8, `length` bytes). Returns NULL when RE2 refuses it, with its reason
/// copied (NUL-terminated, truncated to `error_capacity`) into `error`.
rbx_re2 *rbx_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity);

void rbx_re2_free(rbx_re2 *regex);

/// Capturing groups in the pattern.
int rbx_re2_groups(const rbx_re2 *regex);

/// 1 when the whole of `text` matches.
int rbx_re2_full_match(const rbx_re2 *regex, const char *text, size_t length);

/// 1 when the pattern matches somewhere in `text`; then `start` and `end` hold the byte range of
/// group `group` of the leftmost match (0: the whole match), or both -1 when that group did not
/// take part in it.
int rbx_re2_first_match(
    const rbx_re2 *regex, const char *text, size_t length, int group, long *start, long *end);

/// `text` with every non-overlapping match replaced by `replacement` (taken literally), as a
/// malloc'd buffer of `*result_length` bytes the caller frees.
/* The first match at or after byte `from`: 1 and the whole match's end in *match_end, group
   `group`'s span in *start and *end (-1 when it took no part); 0 when nothing matches. */
int rbx_re2_match_from(
    const rbx_re2 *regex, const char *text, size_t length, size_t from, int group, long *match_end, long *start,
    long *end);

char *rbx_re2_replace_all(
    const rbx_re2 *regex, const char *text, size_t length, const char *replacement, size_t replacement_length,
    size_t *result_length);

#ifdef __cplusplus
}
#endif

#endif
