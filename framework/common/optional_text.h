// std::optional<std::string> in the size of a pointer, for specs held by the hundred thousand:
// a manifest column has eight optional texts, mostly absent, and std::optional<std::string> is
// 40 bytes each (at 10,000 models ~30 MB of absent values). Reads and assigns like the optional
// it replaces; converts to one where a function takes `const std::optional<std::string>&`.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

namespace pgparity {

class optional_text {
 public:
  optional_text() = default;
  optional_text(std::nullopt_t) {}  // NOLINT(google-explicit-constructor)
  optional_text(std::string text) { emplace(std::move(text)); }  // NOLINT
  optional_text(const char* text) { emplace(text); }             // NOLINT
  optional_text(const std::optional<std::string>& text) {        // NOLINT
    if (text) emplace(*text);
  }
  optional_text(const optional_text& other) {
    if (other) emplace(*other);
  }
  optional_text(optional_text&&) noexcept = default;
  optional_text& operator=(const optional_text& other) {
    if (this != &other) *this = optional_text(other);
    return *this;
  }
  optional_text& operator=(optional_text&&) noexcept = default;

  std::string& emplace(std::string text) {
    text_ = std::make_unique<std::string>(std::move(text));
    return *text_;
  }
  void reset() { text_.reset(); }

  bool has_value() const { return text_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const std::string& operator*() const { return *text_; }
  std::string& operator*() { return *text_; }
  const std::string* operator->() const { return text_.get(); }
  std::string* operator->() { return text_.get(); }
  const std::string& value() const {
    if (!text_) throw std::bad_optional_access();
    return *text_;
  }
  std::string value_or(const std::string& otherwise) const { return text_ ? *text_ : otherwise; }
  operator std::optional<std::string>() const {  // NOLINT(google-explicit-constructor)
    return text_ ? std::optional<std::string>(*text_) : std::nullopt;
  }

  friend bool operator==(const optional_text& a, const optional_text& b) {
    return a.has_value() == b.has_value() && (!a || *a == *b);
  }
  friend bool operator!=(const optional_text& a, const optional_text& b) { return !(a == b); }
  // With a std::optional exactly as two std::optionals compare (two absent ones are equal): spelt
  // out, or std::optional's own `optional<T> == U` template would take `a` as a value.
  friend bool operator==(const optional_text& a, const std::optional<std::string>& b) {
    return a.has_value() == b.has_value() && (!a || *a == *b);
  }
  friend bool operator!=(const optional_text& a, const std::optional<std::string>& b) {
    return !(a == b);
  }
  friend bool operator==(const std::optional<std::string>& a, const optional_text& b) {
    return b == a;
  }
  friend bool operator!=(const std::optional<std::string>& a, const optional_text& b) {
    return !(b == a);
  }
  friend bool operator==(const optional_text& a, const std::string& b) { return a && *a == b; }
  friend bool operator!=(const optional_text& a, const std::string& b) { return !(a == b); }
  friend bool operator==(const optional_text& a, const char* b) { return a && *a == b; }
  friend bool operator!=(const optional_text& a, const char* b) { return !(a == b); }
  friend bool operator==(const optional_text& a, std::nullopt_t) { return !a; }
  friend bool operator!=(const optional_text& a, std::nullopt_t) { return a.has_value(); }
  friend std::ostream& operator<<(std::ostream& out, const optional_text& t) {
    return t ? out << *t : out << "(absent)";
  }

 private:
  std::unique_ptr<std::string> text_;
};

}  // namespace pgparity
