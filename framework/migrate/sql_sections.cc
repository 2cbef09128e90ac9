#include "migrate/sql_sections.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace pgparity::migrate_detail {
namespace {

std::string trimmed(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

struct marker {
  bool up = true;
  bool no_transaction = false;
};

// dbmate: `-- migrate:up [transaction:false]`.
std::optional<marker> dbmate_marker(const std::string& line) {
  for (const bool up : {true, false}) {
    const std::string word = up ? "-- migrate:up" : "-- migrate:down";
    if (!starts_with(line, word)) continue;
    std::string tail = line.substr(word.size());
    if (!tail.empty() && !std::isspace(static_cast<unsigned char>(tail[0]))) return std::nullopt;
    tail.erase(std::remove_if(tail.begin(), tail.end(),
                              [](unsigned char c) { return std::isspace(c) != 0; }),
               tail.end());
    return marker{up, tail.find("transaction:false") != std::string::npos};
  }
  return std::nullopt;
}

// goose: `-- +goose Up` / `-- +goose Down`; goose ignores the case of the command and the
// transaction choice is a separate line for the whole file.
std::optional<marker> goose_marker(const std::string& line) {
  if (!starts_with(line, "-- +goose")) return std::nullopt;
  const std::string command = upper(trimmed(line.substr(9)));
  if (command == "UP") return marker{true, false};
  if (command == "DOWN") return marker{false, false};
  return std::nullopt;
}

// sql-migrate: `-- +migrate Up [notransaction]` / `-- +migrate Down [notransaction]`.
std::optional<marker> sql_migrate_marker(const std::string& line) {
  if (!starts_with(line, "-- +migrate ")) return std::nullopt;
  const std::string rest = trimmed(line.substr(12));
  const auto space = rest.find_first_of(" \t");
  const std::string command = rest.substr(0, space);
  const std::string options = space == std::string::npos ? "" : trimmed(rest.substr(space));
  if (command != "Up" && command != "Down") return std::nullopt;
  return marker{command == "Up", options == "notransaction"};
}

std::optional<marker> marker_of(const std::string& raw_line, section_style style) {
  const std::string line = trimmed(raw_line);
  switch (style) {
    case section_style::dbmate:
      return dbmate_marker(line);
    case section_style::goose:
      return goose_marker(line);
    case section_style::sql_migrate:
      return sql_migrate_marker(line);
  }
  return std::nullopt;
}

}  // namespace

sql_sections split_sections(const std::string& text, section_style style) {
  sql_sections out;
  enum { none, up, down } section = none;
  std::size_t begin = 0;
  auto close = [&](std::size_t end) {
    if (section == up) out.up_sql = text.substr(begin, end - begin);
    if (section == down) out.down_sql = text.substr(begin, end - begin);
  };
  std::size_t pos = 0;
  int line_no = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    ++line_no;
    if (const auto m = marker_of(text.substr(pos, eol - pos), style)) {
      close(pos);
      section = m->up ? up : down;
      begin = std::min(eol + 1, text.size());
      (m->up ? out.up_first_line : out.down_first_line) = line_no + 1;
      (m->up ? out.has_up : out.has_down) = true;
      (m->up ? out.up_no_transaction : out.down_no_transaction) = m->no_transaction;
    }
    if (eol == text.size()) break;
    pos = eol + 1;
  }
  close(text.size());
  // goose's NO TRANSACTION line holds for the whole file, both directions.
  if (style == section_style::goose && has_goose_no_transaction(text)) {
    out.up_no_transaction = out.down_no_transaction = true;
  }
  return out;
}

bool has_up_marker(const std::string& text, section_style style) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const auto m = marker_of(text.substr(pos, eol - pos), style);
    if (m && m->up) return true;
    pos = eol + 1;
  }
  return false;
}

bool has_goose_no_transaction(const std::string& text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string line = trimmed(text.substr(pos, eol - pos));
    if (starts_with(line, "-- +goose") && upper(trimmed(line.substr(9))) == "NO TRANSACTION") {
      return true;
    }
    pos = eol + 1;
  }
  return false;
}

}  // namespace pgparity::migrate_detail
