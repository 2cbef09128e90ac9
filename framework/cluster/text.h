// Small text helpers the cluster module's sources share: libpq keyword quoting and one-line
// error messages.
#pragma once

#include <string>

namespace pgparity::cluster_detail {

// A libpq keyword value: single-quoted, with backslash and quote escaped.
inline std::string quote_conninfo_value(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// The first line of a (libpq or server) message: our errors are one line.
inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace pgparity::cluster_detail
