#include "common/secrets.h"

#include <cctype>
#include <cstdio>
#include <mutex>
#include <set>

namespace pgparity {
namespace common_detail {
namespace {

std::mutex& secrets_mutex() {
  static std::mutex m;
  return m;
}

std::set<std::string>& secrets() {
  static std::set<std::string> s;
  return s;
}

// Where the authority part of a URL ends: the path, query or fragment, or the end of a quoted
// or spaced word in a message.
bool ends_authority(char c) {
  return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '`' ||
         std::isspace(static_cast<unsigned char>(c)) != 0;
}

// user:PASSWORD@host → user:***@host. The last `@` of the authority ends the password, so an
// unencoded `@` inside it is masked too.
void mask_url_passwords(std::string& text) {
  for (auto scheme = text.find("://"); scheme != std::string::npos;
       scheme = text.find("://", scheme + 3)) {
    const auto start = scheme + 3;
    auto end = start;
    while (end < text.size() && !ends_authority(text[end])) ++end;
    const auto at = text.rfind('@', end == 0 ? 0 : end - 1);
    if (at == std::string::npos || at < start) continue;
    const auto colon = text.find(':', start);
    if (colon == std::string::npos || colon > at) continue;
    text.replace(colon + 1, at - colon - 1, masked_secret);
  }
}

// The end of a libpq keyword value starting at `start`: a quoted value with backslash escapes,
// or up to the next space or `&`.
std::size_t value_end(const std::string& text, std::size_t start) {
  auto end = start;
  if (end < text.size() && text[end] == '\'') {
    for (++end; end < text.size() && text[end] != '\''; ++end) {
      if (text[end] == '\\') ++end;
    }
    return std::min(end + 1, text.size());
  }
  while (end < text.size() && text[end] != '&' && text[end] != '"' &&
         std::isspace(static_cast<unsigned char>(text[end])) == 0) {
    ++end;
  }
  return end;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// password=SECRET, password = 'SECRET' → password=***.
void mask_password_keywords(std::string& text) {
  static const std::string keyword = "password";  // also PGPASSWORD=, Password =
  for (auto at = lower(text).find(keyword); at != std::string::npos;
       at = lower(text).find(keyword, at + keyword.size())) {
    auto eq = at + keyword.size();
    while (eq < text.size() && text[eq] == ' ') ++eq;
    if (eq >= text.size() || text[eq] != '=') continue;
    auto start = eq + 1;
    while (start < text.size() && text[start] == ' ') ++start;
    const auto end = value_end(text, start);
    if (end > start) text.replace(start, end - start, masked_secret);
  }
}

void replace_all(std::string& text, const std::string& what) {
  if (what.empty()) return;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + std::char_traits<char>::length(masked_secret))) {
    text.replace(at, what.size(), masked_secret);
  }
}

}  // namespace
}  // namespace common_detail

std::string percent_encode(const std::string& value, bool keep_slash) {
  std::string out;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", byte);
      out += hex;
    }
  }
  return out;
}

void remember_secret(const std::string& secret) {
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(common_detail::secrets_mutex());
  common_detail::secrets().insert(secret);
  common_detail::secrets().insert(percent_encode(secret));
}

std::string redact(std::string text) {
  common_detail::mask_url_passwords(text);
  common_detail::mask_password_keywords(text);
  std::lock_guard<std::mutex> lock(common_detail::secrets_mutex());
  for (const auto& secret : common_detail::secrets()) common_detail::replace_all(text, secret);
  return text;
}

}  // namespace pgparity
