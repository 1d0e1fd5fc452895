#include "rbx_re2.h"

#include <re2/re2.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

struct rbx_re2 {
    RE2 regex;
    explicit rbx_re2(re2::StringPiece pattern, const RE2::Options &options) : regex(pattern, options) {}
};

static RE2::Options options() {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingUTF8);
    options.set_log_errors(false);
    return options;
}

extern "C" rbx_re2 *rbx_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity) {
    auto *compiled = new rbx_re2(re2::StringPiece(pattern, length), options());
    if (compiled->regex.ok()) return compiled;
    if (error != nullptr && error_capacity > 0) {
        const std::string &reason = compiled->regex.error();
        size_t count = reason.size() < error_capacity - 1 ? reason.size() : error_capacity - 1;
        std::memcpy(error, reason.data(), count);
        error[count] = '\0';
    }
    delete compiled;
    return nullptr;
}

extern "C" void rbx_re2_free(rbx_re2 *regex) { delete regex; }

extern "C" int rbx_re2_groups(const rbx_re2 *regex) { return regex->regex.NumberOfCapturingGroups(); }

extern "C" int rbx_re2_full_match(const rbx_re2 *regex, const char *text, size_t length) {
    return RE2::FullMatch(re2::StringPiece(text, length), regex->regex) ? 1 : 0;
}

extern "C" int rbx_re2_first_match(
    const rbx_re2 *regex, const char *text, size_t length, int group, long *start, long *end) {
    int groups = regex->regex.NumberOfCapturingGroups();
    if (group < 0 || group > groups) return 0;
    std::vector<re2::StringPiece> found(static_cast<size_t>(group) + 1);
    re2::StringPiece input(text, length);
    if (!regex->regex.Match(input, 0, length, RE2::UNANCHORED, found.data(), group + 1)) return 0;
    const re2::StringPiece &piece = found[static_cast<size_t>(group)];
    if (piece.data() == nullptr) {
        *start = -1;
        *end = -1;
    } else {
        *start = static_cast<long>(piece.data() - text);
        *end = *start + static_cast<long>(piece.size());
    }
    return 1;
}

extern "C" int rbx_re2_match_from(
    const rbx_re2 *regex, const char *text, size_t length, size_t from, int group, long *match_end, long *start,
    long *end) {
    int groups = regex->regex.NumberOfCapturingGroups();
    if (group < 0 || group > groups || from > length) return 0;
    std::vector<re2::StringPiece> found(static_cast<size_t>(group) + 1);
    re2::StringPiece input(text, length);
    if (!regex->regex.Match(input, from, length, RE2::UNANCHORED, found.data(), group + 1)) return 0;
    *match_end = static_cast<long>(found[0].data() - text) + static_cast<long>(found[0].size());
    const re2::StringPiece &piece = found[static_cast<size_t>(group)];
    if (piece.data() == nullptr) {
        *start = -1;
        *end = -1;
    } else {
        *start = static_cast<long>(piece.data() - text);
        *end = *start + static_cast<long>(piece.size());
    }
    return 1;
}

extern "C" char *rbx_re2_replace_all(
    const rbx_re2 *regex, const char *text, size_t length, const char *replacement, size_t replacement_length,
    size_t *result_length) {
    std::string result(text, length);
    // RE2's rewrite string treats backslashes as group references; escape them so the
    // replacement is taken literally.
    std::string rewrite;
    rewrite.reserve(replacement_length);
    for (size_t index = 0; index < replacement_length; index++) {
        if (replacement[index] == '\\') rewrite.push_back('\\');
        rewrite.push_back(replacement[index]);
    }
    RE2::GlobalReplace(&result, regex->regex, rewrite);
    char *buffer = static_cast<char *>(std::malloc(result.size() + 1));
    if (buffer == nullptr) return nullptr;
    std::memcpy(buffer, result.data(), result.size());
    buffer[result.size()] = '\0';
    *result_length = result.size();
    return buffer;
}
