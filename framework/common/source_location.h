// Where something was written: a manifest entry, a config key, a migration statement.
#pragma once

#include <iosfwd>
#include <string>

namespace pgparity {

// A file name, interned: every location in one file shares one immutable copy of its name (a
// manifest of 10,000 models has ~200,000 locations, and each held its own copy). Reads as the
// `const std::string&` it converts to; assigned and constructed from any string.
class file_name {
 public:
  file_name();                         // ""
  file_name(const std::string& name);  // NOLINT(google-explicit-constructor): reads as a string
  file_name(const char* name);         // NOLINT(google-explicit-constructor)

  const std::string& str() const { return *text_; }
  operator const std::string&() const { return *text_; }  // NOLINT(google-explicit-constructor)
  bool empty() const { return text_->empty(); }
  const char* c_str() const { return text_->c_str(); }

  // Equal names are one interned string.
  friend bool operator==(const file_name& a, const file_name& b) { return a.text_ == b.text_; }
  friend bool operator!=(const file_name& a, const file_name& b) { return a.text_ != b.text_; }

 private:
  const std::string* text_;
};

std::ostream& operator<<(std::ostream& out, const file_name& name);
std::string operator+(const std::string& a, const file_name& b);
std::string operator+(const file_name& a, const std::string& b);
std::string operator+(const char* a, const file_name& b);
std::string operator+(const file_name& a, const char* b);

struct source_location {
  file_name file;  // as given by the user (relative paths stay relative)
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown

  // "file:line:column", "file:line" or "file", whichever is known.
  std::string str() const;
};

}  // namespace pgparity
