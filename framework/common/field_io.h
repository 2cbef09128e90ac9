// Structs as text and back, for the on-disk caches (catalog snapshots, parsed manifests). Each
// cached struct has one field list, a function template `fields(V& v, T& x)` calling `v(x.a),
// v(x.b), ...` and `v.list(x.items, item_fields)`, used with field_writer (T const) to write and
// field_reader to read: a field is listed once for both directions.
//
// Format: length-prefixed fields ("<bytes>:<text>"; "-" for an absent optional; lists as their
// length then their items). Anything unexpected when reading makes the reader not ok(), and the
// caller discards the whole text, never a partial struct.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/optional_text.h"
#include "common/source_location.h"

namespace pgparity {

// A length or count as the caches write it: 1 to 12 decimal digits, nothing else.
inline bool parse_cache_size(std::string_view s, std::size_t& n) {
  if (s.empty() || s.size() > 12) return false;
  n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

class field_writer {
 public:
  std::string out;

  void operator()(std::string_view s) {
    out += std::to_string(s.size());
    out += ':';
    out += s;
  }
  void operator()(const std::string& s) { (*this)(std::string_view(s)); }
  void operator()(bool b) { out += b ? 'T' : 'F'; }
  void operator()(char c) { (*this)(std::string_view(&c, 1)); }
  void operator()(int n) { (*this)(std::to_string(n)); }
  template <typename T>
  void operator()(const std::optional<T>& value) {
    if (value) return (*this)(*value);
    out += '-';
  }
  void operator()(const optional_text& value) {
    if (value) return (*this)(*value);
    out += '-';
  }
  void operator()(const std::vector<std::string>& items) {
    (*this)(std::to_string(items.size()));
    for (const auto& s : items) (*this)(s);
  }
  // Most locations name the file the previous one named: "=" stands for it.
  void operator()(const source_location& at) {
    if (wrote_file_ && at.file == last_file_) {  // interned: a pointer comparison
      out += '=';
    } else {
      (*this)(at.file.str());
      last_file_ = at.file;
      wrote_file_ = true;
    }
    (*this)(at.line), (*this)(at.column);
  }
  template <typename T, typename F>
  void list(const std::vector<T>& items, F fields) {
    (*this)(std::to_string(items.size()));
    for (const auto& item : items) fields(*this, item);
  }

 private:
  file_name last_file_;
  bool wrote_file_ = false;
};

class field_reader {
 public:
  explicit field_reader(std::string_view text) : text_(text) {}
  // Everything read was well formed and the whole text was used.
  bool ok() const { return ok_ && at_ == text_.size(); }

  void operator()(std::string& s) { s = get(); }
  void operator()(bool& b) {
    const char c = at_ < text_.size() ? text_[at_++] : '?';
    if (c != 'T' && c != 'F') ok_ = false;
    b = c == 'T';
  }
  void operator()(char& c) {
    const std::string_view s = get();
    if (s.size() != 1) ok_ = false;
    c = s.empty() ? '\0' : s[0];
  }
  void operator()(int& n) {
    const std::string_view s = get();
    const bool negative = !s.empty() && s[0] == '-';
    std::size_t magnitude = 0;
    if (!digits(negative ? s.substr(1) : s, magnitude) || magnitude > 2147483647) ok_ = false;
    n = static_cast<int>(magnitude) * (negative ? -1 : 1);
  }
  template <typename T>
  void operator()(std::optional<T>& value) {
    if (at_ < text_.size() && text_[at_] == '-') {
      ++at_;
      value.reset();
    } else {
      (*this)(value.emplace());
    }
  }
  void operator()(optional_text& value) {
    if (at_ < text_.size() && text_[at_] == '-') {
      ++at_;
      value.reset();
    } else {
      value.emplace(std::string(get()));
    }
  }
  void operator()(std::vector<std::string>& items) {
    items.resize(count());
    for (auto& s : items) s = get();
  }
  void operator()(source_location& at) {
    if (at_ < text_.size() && text_[at_] == '=' && seen_file_) {
      ++at_;
      at.file = last_file_;
    } else {
      last_file_ = file_name(std::string(get()));  // interned once per distinct file
      at.file = last_file_;
      seen_file_ = true;
    }
    (*this)(at.line), (*this)(at.column);
  }
  template <typename T, typename F>
  void list(std::vector<T>& items, F fields) {
    items.resize(count());
    for (auto& item : items) fields(*this, item);
  }
  std::size_t count() {
    std::size_t n = 0;
    if (!digits(get(), n) || n > text_.size()) {  // each item takes at least a byte
      ok_ = false;
      return 0;
    }
    return n;
  }

 private:
  static bool digits(std::string_view s, std::size_t& n) { return parse_cache_size(s, n); }
  std::string_view get() {
    std::size_t size = 0;
    const auto colon = text_.find(':', at_);
    if (!ok_ || colon == std::string_view::npos || !digits(text_.substr(at_, colon - at_), size) ||
        size > text_.size() - colon - 1) {
      ok_ = false;
      at_ = text_.size();
      return {};
    }
    at_ = colon + 1 + size;
    return text_.substr(colon + 1, size);
  }

  std::string_view text_;
  std::size_t at_ = 0;
  bool ok_ = true;
  file_name last_file_;
  bool seen_file_ = false;
};

}  // namespace pgparity
