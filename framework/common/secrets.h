// Passwords never reach the output. Every message that may carry a connection string (a URL, a
// libpq keyword string, libpq's own errors) goes through redact(): the one masking function.
#pragma once

#include <string>

namespace pgparity {

// What a password is replaced by.
inline constexpr const char* masked_secret = "***";

// Remembers a password this process was given (from `database:`), so that redact() masks it
// wherever it appears later, as written or percent-encoded. Secrets shorter than 4 bytes are
// masked only where they stand as a password (URL or `password=`), not as any substring.
void remember_secret(const std::string& secret);

// `text` with the password of every URL (`scheme://user:PASSWORD@host`, where the password may
// itself hold unencoded `@`), every `password=...` keyword (quoted or not, in a conninfo string
// or a URL query) and every remembered secret replaced by ***.
std::string redact(std::string text);

// `value` percent-encoded for a URL: RFC 3986's unreserved characters are kept, and `/` when
// `keep_slash` (a query value may hold it). Used to write URLs and to find a password in them.
std::string percent_encode(const std::string& value, bool keep_slash = false);

}  // namespace pgparity
