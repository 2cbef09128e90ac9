// Where something was written: a manifest entry, a config key, a migration statement.
#pragma once

#include <string>

namespace pgparity {

struct source_location {
  std::string file;  // as given by the user (relative paths stay relative)
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  // "file:line:column", "file:line" or "file", whichever is known.
  std::string str() const;
};

}  // namespace pgparity
